//! Queries only the tests and benchmarks ask, and the generator of benchmark data:
//! compiled with the `testing` feature (the server's dev-dependencies turn it on),
//! never into the portal itself.

pub mod history_generator;

pub mod audit {
    use crate::store::{Db, UserId};
    use anyhow::Context;

    /// Actions recorded for a subject, oldest first.
    pub async fn actions_for(db: &Db, subject: UserId) -> anyhow::Result<Vec<String>> {
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject_user_id = $1 ORDER BY id")
            .bind(subject)
            .fetch_all(db.pool())
            .await
            .context("listing audit entries")
    }

    /// (action, detail) of the entries about a subject, oldest first.
    pub async fn entries_for(db: &Db, subject: UserId) -> anyhow::Result<Vec<(String, String)>> {
        sqlx::query_as(
            "SELECT action, detail FROM audit_log WHERE subject_user_id = $1 ORDER BY id",
        )
        .bind(subject)
        .fetch_all(db.pool())
        .await
        .context("listing audit entries")
    }
}

pub mod outbox {
    use crate::store::{Db, UserId};
    use anyhow::Context;

    /// Subjects of the messages queued for a user, oldest first.
    pub async fn subjects_for(db: &Db, user: UserId) -> anyhow::Result<Vec<String>> {
        sqlx::query_scalar("SELECT subject FROM outbox WHERE user_id = $1 ORDER BY id")
            .bind(user.0)
            .fetch_all(db.pool())
            .await
            .context("listing queued messages")
    }

    /// Status and attempts of a message (for tests and, later, the admin view).
    pub async fn status_of(db: &Db, id: i64) -> anyhow::Result<(String, i64)> {
        sqlx::query_as("SELECT status, attempts FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await
            .context("reading a message's status")
    }
}

pub mod sign_in_events {
    use crate::store::{Db, Flag};
    use anyhow::Context;

    /// A stored event as tests and later history pages read it.
    #[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
    pub struct SignInEventRow {
        pub user_id: Option<i64>,
        pub username_typed: String,
        pub ip: String,
        pub user_agent: String,
        pub auth_type: String,
        pub app_name: String,
        #[sqlx(try_from = "Flag")]
        pub succeeded: bool,
        pub result_code: i64,
    }

    /// The newest events first, at most `limit`.
    pub async fn latest(db: &Db, limit: i64) -> anyhow::Result<Vec<SignInEventRow>> {
        sqlx::query_as::<_, SignInEventRow>(
            "SELECT user_id, username_typed, ip, user_agent, auth_type, app_name, succeeded, result_code \
             FROM sign_in_events ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .context("listing sign-in events")
    }
}
