//! Any bytes: the reader returns a recording or an error, never panics;
//! and whatever it decodes, the model and the exporters take without
//! panicking too (a recording is input from outside).
#![no_main]

use libfuzzer_sys::fuzz_target;
use taskscope::model::{Model, ModelConfig};
use taskscope::record::{chrome, tsrec};

fuzz_target!(|data: &[u8]| {
    let Ok(recording) = tsrec::parse(data) else {
        return;
    };
    let _ = recording.length_ns();
    let mut model = Model::new(ModelConfig::default());
    for frame in &recording.frames {
        model.apply_all(&frame.events);
    }
    let _ = chrome::write_trace(&recording, std::io::sink());
});
