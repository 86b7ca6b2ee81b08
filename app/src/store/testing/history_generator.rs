//! Synthetic sign-in events for benchmarks (`mfa-portal generate sign-ins`): one
//! user's long history among many other users' rows. The rows are made by the
//! database itself (a recursive CTE in SQLite, `generate_series` in PostgreSQL),
//! because sending ten million rows through the driver would take far longer than
//! the benchmark it prepares.

use crate::store::{Db, UserId};
use anyhow::Context;
use sqlx::Connection;

/// What to generate. Events end at `newest_at` and lie `spacing_secs` apart.
#[derive(Clone, Copy, Debug)]
pub struct GenerateSpec {
    pub user: UserId,
    /// Events of `user`.
    pub user_events: i64,
    /// Events of the other users, spread evenly over them.
    pub other_events: i64,
    /// How many other users to create for those events.
    pub other_users: i64,
    pub newest_at: i64,
    pub spacing_secs: i64,
}

/// Rows per statement: big enough to be quick, small enough to keep each
/// transaction (and the WAL) modest.
const CHUNK: i64 = 250_000;

pub async fn generate(db: &Db, spec: GenerateSpec) -> anyhow::Result<()> {
    let mut conn = db.pool().acquire().await.context("connecting")?;
    let postgres = conn.backend_name() == "PostgreSQL";
    let first_other = create_other_users(db, spec.other_users, spec.newest_at).await?;
    let runs = [
        (spec.user.0, spec.user_events, None),
        (first_other, spec.other_events, Some(spec.other_users)),
    ];
    for (user, total, spread_over) in runs {
        if spread_over == Some(0) {
            continue;
        }
        let sql = insert_sql(postgres, spread_over.is_some());
        let mut written = 0;
        while written < total {
            let count = CHUNK.min(total - written);
            let mut query = sqlx::query(&sql)
                .bind(user)
                .bind(written)
                .bind(count)
                .bind(spec.newest_at)
                .bind(spec.spacing_secs)
                .bind(total);
            if let Some(users) = spread_over {
                query = query.bind(users);
            }
            let mut tx = conn.begin().await.context("starting a batch")?;
            query
                .execute(&mut *tx)
                .await
                .context("generating sign-in events")?;
            tx.commit().await.context("committing a batch")?;
            written += count;
        }
    }
    Ok(())
}

/// Creates `count` users who cannot sign in (their password hash matches nothing)
/// and returns the first one's id; their ids are consecutive.
async fn create_other_users(db: &Db, count: i64, now: i64) -> anyhow::Result<i64> {
    let tag = now.to_string();
    let mut tx = db.begin().await.context("starting the users")?;
    let mut ids = Vec::new();
    for n in 0..count {
        let name = format!("generated-{tag}-{n}");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, email, password_hash, role, \
             mfa_state, created_at, password_changed_at) \
             VALUES ($1, $1, $2, '!', 'user', 'enabled', $3, $3) RETURNING id",
        )
        .bind(&name)
        .bind(format!("{name}@example.invalid"))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .context("creating a generated user")?;
        ids.push(id);
    }
    tx.commit().await.context("committing the users")?;
    let Some(&first) = ids.first() else {
        return Ok(0);
    };
    let consecutive = ids
        .iter()
        .zip(first..)
        .all(|(id, expected)| *id == expected);
    anyhow::ensure!(
        consecutive,
        "generated users did not get consecutive ids; run on a quiet database"
    );
    Ok(first)
}

/// Parameters: $1 the user (or the first of the spread-over users), $2 first index,
/// $3 count, $4 newest time, $5 spacing, $6 total events of the run, and with
/// `spread` $7 the number of users. Index n runs over [$2, $2 + $3); event n lies
/// ($6 - 1 - n) spacings before the newest. Results, apps and browsers cycle so
/// that filters and the page's words have work to do.
fn insert_sql(postgres: bool, spread: bool) -> String {
    let series = if postgres {
        "SELECT generate_series($2::BIGINT, ($2 + $3 - 1)::BIGINT) AS n"
    } else {
        "WITH RECURSIVE seq(n) AS (SELECT $2 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < $2 + $3) \
         SELECT n FROM seq"
    };
    let user = if spread { "$1 + (n % $7)" } else { "$1" };
    format!(
        "INSERT INTO sign_in_events (occurred_at, user_id, username_typed, ip, user_agent, \
         auth_type, succeeded, result_code, app_name) \
         SELECT $4 - ($6 - 1 - n) * $5, {user}, 'generated', \
         '198.51.100.' || CAST(n % 250 AS TEXT), \
         CASE n % 3 \
           WHEN 0 THEN 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0' \
           WHEN 1 THEN 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1' \
           ELSE 'Outlook-Express/7.0' END, \
         CASE WHEN n % 10 = 9 THEN 'app password' ELSE 'browser' END, \
         CASE WHEN n % 10 = 4 THEN 0 ELSE 1 END, \
         CASE WHEN n % 10 = 4 THEN 1000 WHEN n % 10 = 9 THEN 1004 ELSE 23 END, \
         CASE WHEN n % 10 = 9 THEN 'Mail on laptop' ELSE 'Portal' END \
         FROM ({series}) AS numbers"
    )
}
