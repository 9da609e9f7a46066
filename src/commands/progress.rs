//! A spinner on the terminal for builds that take longer than a second.

use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// How long a build runs before the spinner appears.
const DELAY: Duration = Duration::from_secs(1);

/// Shows a spinner on stderr once the work has run for a second, if stderr is a terminal.
pub struct Progress {
    done: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts waiting; nothing is shown when `quiet` or when stderr is not a terminal.
    pub fn start(message: &'static str, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        if quiet || !std::io::stderr().is_terminal() {
            return Progress {
                done: None,
                thread: None,
            };
        }
        let (done, wait) = channel::<()>();
        let thread = std::thread::spawn(move || {
            if !matches!(wait.recv_timeout(DELAY), Err(RecvTimeoutError::Timeout)) {
                return;
            }
            let spinner = ProgressBar::new_spinner().with_elapsed(DELAY);
            spinner.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            spinner.set_message(message);
            spinner.enable_steady_tick(Duration::from_millis(100));
            let _ = wait.recv();
            spinner.finish_and_clear();
        });
        Progress {
            done: Some(done),
            thread: Some(thread),
        }
    }

    /// Removes the spinner (if it was shown) before the summary line is printed.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        drop(self.done.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}
