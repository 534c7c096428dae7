//! Headless runs: a feed into a model for a fixed time, no terminal.

use std::time::Duration;

use crate::feed::{Command, Feed};
use crate::model::{Model, ModelConfig};

/// Feeds `feed` into a fresh model until `duration` has passed (then asks
/// the source to stop and takes its last batch) or the source ends.
pub async fn run(mut feed: Feed, duration: Duration, config: ModelConfig) -> Model {
    let mut model = Model::new(config);
    let deadline = tokio::time::sleep(duration);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            batch = feed.batches.recv() => match batch {
                Some(batch) => model.apply_all(&batch),
                None => return model,
            },
            () = &mut deadline => break,
        }
    }
    let _ = feed.commands.send(Command::Stop);
    // The source sends what it had, then closes; do not wait forever.
    let drain = async {
        while let Some(batch) = feed.batches.recv().await {
            model.apply_all(&batch);
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), drain).await;
    model
}
