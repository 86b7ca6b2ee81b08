//! Phones: how fast numbers are parsed (libphonenumber metadata via `phonenumber`),
//! and how long the hourly abuse-limit check takes when `phone_sends` holds a day of
//! traffic (default 1,000,000 rows on SQLite): it runs before every text or call.
//! Prints figures; asserts nothing.
//!
//! cargo bench -p server --bench phones   (BENCH_PHONE_SENDS, BENCH_PHONE_PARSES to scale)

mod common;

use app::domain::{MfaState, PhoneNumber};
use app::services::{Clock, SystemClock};
use app::store::phone_sends::{self, NewSend};
use common::{create_user, env_count, percentile, start};
use std::time::Instant;

const FORMATS: [(&str, &str); 10] = [
    ("NL", "0612 345 678"),
    ("NL", "+31 6 12345678"),
    ("NL", "020 123 4567"),
    ("GB", "07400 123456"),
    ("DE", "01512 3456789"),
    ("US", "(201) 555-0123"),
    ("FR", "06 12 34 56 78"),
    ("IN", "098765 43210"),
    ("JP", "090-1234-5678"),
    ("NL", "0900 1234567"),
];

fn parse_rate(label: &str, formats: &[(&str, &str)], parses: usize) {
    PhoneNumber::parse("NL", "0612345678").ok();
    let started = Instant::now();
    let mut valid = 0_usize;
    for i in 0..parses {
        let (region, raw) = formats[i % formats.len()];
        valid += usize::from(PhoneNumber::parse(region, raw).is_ok());
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "parse, {label}: {parses} numbers in {elapsed:.2} s = {:.0} numbers/s, {:.1} µs each ({valid} valid)",
        parses as f64 / elapsed,
        elapsed * 1e6 / parses as f64
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let parses = env_count("BENCH_PHONE_PARSES", 20_000);
    // One country (the metadata's regex cache stays warm), then ten countries in
    // turn (its 100-entry LRU cache cannot hold them all and recompiles).
    parse_rate("one country", &FORMATS[..2], parses);
    parse_rate("ten countries in turn", &FORMATS, parses / 10);

    let rows = env_count("BENCH_PHONE_SENDS", 1_000_000);
    let dir = tempfile::tempdir()?;
    let app = start(&dir, None).await?;
    let state = &app.state;
    let user = create_user(state, "phone-bench", MfaState::Enabled).await?;
    let now = SystemClock.now();
    let started = Instant::now();
    // A day of traffic: 100,000 numbers, 20,000 addresses, 50 regions.
    sqlx::query(
        "INSERT INTO phone_sends (sent_at, e164, region, user_id, ip, channel) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         SELECT $2 - (i % 86400), '+' || CAST(31610000000 + (i % 100000) AS TEXT), \
         'R' || CAST(i % 50 AS TEXT), NULL, \
         '10.' || CAST(i % 250 AS TEXT) || '.' || CAST((i / 250) % 80 AS TEXT) || '.1', 'sms' FROM n",
    )
    .bind(i64::try_from(rows)?)
    .bind(now)
    .execute(state.db.pool())
    .await?;
    println!(
        "phone_sends: {rows} rows written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let checks = 2_000;
    let mut times = Vec::with_capacity(checks);
    for i in 0..checks {
        let e164 = format!("+{}", 31_610_000_000_i64 + (i as i64 * 37) % 100_000);
        let ip = format!("10.{}.{}.1", i % 250, (i / 250) % 80);
        let region = format!("R{}", i % 50);
        let probe = NewSend {
            at: now,
            e164: &e164,
            region: &region,
            user,
            ip: &ip,
            channel: "sms",
        };
        let started = Instant::now();
        let recent = phone_sends::recent(state.db.pool(), now - 3600, &probe).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(recent);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "limit check (4 counts over the last hour) with {rows} rows: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(f64::NAN)
    );
    app.stop().await
}
