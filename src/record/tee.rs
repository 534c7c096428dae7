//! Records any feed on its way to the model.

use tokio::sync::mpsc;

use super::tsrec::RecordWriter;
use crate::feed::{Batch, Feed};

/// A feed that delivers what `feed` delivers and also hands each batch to
/// `writer`. The recording is finished (trailer written) before the
/// returned feed closes, so a consumer that saw the end has a whole file.
/// Call it inside a tokio runtime: the forwarding runs as a task.
#[must_use]
pub fn tee(feed: Feed, writer: RecordWriter) -> Feed {
    let (tx, batches) = mpsc::channel(64);
    tokio::spawn(forward(feed.batches, tx, writer));
    Feed {
        batches,
        commands: feed.commands,
    }
}

async fn forward(
    mut from: mpsc::Receiver<Batch>,
    to: mpsc::Sender<Batch>,
    mut writer: RecordWriter,
) {
    while let Some(batch) = from.recv().await {
        writer.push(batch.clone());
        if to.send(batch).await.is_err() {
            break;
        }
    }
    // Joining the writer thread blocks: keep it off the runtime's thread.
    let finished = tokio::task::spawn_blocking(move || writer.finish()).await;
    match finished {
        Ok(Ok(summary)) if summary.dropped_frames > 0 => eprintln!(
            "taskscope: recording {}: {} of {} batches dropped (the disk could not keep up)",
            summary.path.display(),
            summary.dropped_frames,
            summary.frames + summary.dropped_frames
        ),
        Ok(Ok(_)) => {}
        Ok(Err(e)) => eprintln!("taskscope: recording {e}"),
        Err(e) => eprintln!("taskscope: recording failed: {e}"),
    }
    drop(to);
}
