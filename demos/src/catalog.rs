use std::fmt;
use std::sync::Arc;

use crate::{
    blocking, gather, leak, mutex, pool, queue, select, semaphore, shutdown, task_group, timeouts,
    Demo,
};

/// Every demo, in the order `taskscope list` shows them.
#[must_use]
pub fn catalog() -> Vec<Arc<dyn Demo>> {
    vec![
        Arc::new(gather::Gather),
        Arc::new(task_group::TaskGroup),
        Arc::new(semaphore::SemaphoreDemo::new()),
        Arc::new(queue::Queue),
        Arc::new(timeouts::Timeouts::new()),
        Arc::new(pool::PoolDemo::new()),
        Arc::new(mutex::MutexDemo),
        Arc::new(blocking::Blocking),
        Arc::new(leak::Leak::new()),
        Arc::new(shutdown::Shutdown),
        Arc::new(select::Select),
    ]
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownDemo {
    pub name: String,
    pub known: Vec<&'static str>,
}

impl fmt::Display for UnknownDemo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown demo '{}' (demos: {})",
            self.name,
            self.known.join(", ")
        )
    }
}

impl std::error::Error for UnknownDemo {}

pub fn find(name: &str) -> Result<Arc<dyn Demo>, UnknownDemo> {
    let all = catalog();
    let known = all.iter().map(|d| d.info().name).collect();
    all.into_iter()
        .find(|d| d.info().name == name)
        .ok_or(UnknownDemo {
            name: name.to_owned(),
            known,
        })
}
