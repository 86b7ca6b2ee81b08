//! A real SMTP server for tests: Python's aiosmtpd on a free loopback port, storing
//! each message in a Maildir the test reads. Stopped when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpServer {
    pub port: u16,
    child: Child,
    maildir: tempfile::TempDir,
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        Self::start_on(free_port())
    }

    pub fn start_on(port: u16) -> SmtpServer {
        let maildir = tempfile::tempdir().expect("a maildir");
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir(maildir.path().join(sub)).expect("a maildir folder");
        }
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (pip install aiosmtpd; scripts/test installs it)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer {
            port,
            child,
            maildir,
        }
    }

    /// Every message received so far, as raw text.
    pub fn messages(&self) -> Vec<String> {
        let new: PathBuf = self.maildir.path().join("new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect()
    }

    /// Waits (up to 15 s of real time) until `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let messages = self.messages();
            if messages.len() >= count || Instant::now() > deadline {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A kept message as its reader sees it: a quoted-printable body decoded (soft line
/// breaks joined, `=3D` back to `=`), headers unchanged.
pub fn readable(message: &str) -> String {
    if !message.contains("Content-Transfer-Encoding: quoted-printable") {
        return message.to_owned();
    }
    let decoded = quoted_printable::decode(message.as_bytes(), quoted_printable::ParseMode::Robust)
        .expect("a quoted-printable body");
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The portal on a fresh database, sending its mail to `smtp` at once (and `more`
/// settings of the test's own).
pub async fn spawn_mailing_to(
    smtp: &SmtpServer,
    more: impl FnOnce(&mut server::config::Config),
) -> crate::helpers::TestApp {
    let port = smtp.port;
    crate::helpers::spawn_with(move |c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = port;
        c.smtp_tls = app::providers::mail::SmtpTls::None;
        c.outbox_poll_seconds = 1;
        more(c);
    })
    .await
}
