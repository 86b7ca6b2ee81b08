//! Phones: how fast numbers are parsed (libphonenumber metadata via `phonenumber`),
//! and how long claiming the four hourly abuse limits takes (one transaction, four
//! counting upserts) when `rate_limits` holds 1,000,000 buckets: it runs before
//! every text or call. Prints figures; asserts nothing.
//!
//! cargo bench -p server --bench phones   (BENCH_RATE_BUCKETS, BENCH_PHONE_PARSES to scale)

mod common;

use app::domain::PhoneNumber;
use app::services::{Clock, SystemClock};
use app::store::rate_limits::{self, Hit};
use common::{env_count, percentile, start};
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

    let rows = env_count("BENCH_RATE_BUCKETS", 1_000_000);
    let dir = tempfile::tempdir()?;
    let app = start(&dir, None).await?;
    let state = &app.state;
    let now = SystemClock.now();
    let window_start = now - now.rem_euclid(3600);
    let started = Instant::now();
    // Buckets of the hour's traffic: numbers, users and addresses.
    sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, hits, expires_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         SELECT 'phone:number:+' || CAST(31610000000 + i AS TEXT), $2, 1 + i % 3, $2 + 3600 FROM n",
    )
    .bind(i64::try_from(rows)?)
    .bind(window_start)
    .execute(state.db.pool())
    .await?;
    println!(
        "rate_limits: {rows} buckets written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let checks = 2_000;
    let mut times = Vec::with_capacity(checks);
    for i in 0..checks {
        let buckets = [
            format!(
                "phone:number:+{}",
                31_610_000_000_i64 + (i as i64 * 37) % 1_000_000
            ),
            format!("phone:user:{}", i % 500),
            format!("phone:ip:10.{}.{}.1", i % 250, (i / 250) % 80),
            format!("phone:region:R{}", i % 50),
        ];
        let started = Instant::now();
        let mut tx = state.db.pool().begin().await?;
        for bucket in &buckets {
            let hit = Hit {
                bucket,
                limit: 1_000_000,
                window_secs: 3600,
                now,
            };
            std::hint::black_box(rate_limits::hit(&mut *tx, hit).await?);
        }
        tx.commit().await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "limit claim (4 counting upserts in one transaction, committed) with {rows} buckets: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(f64::NAN)
    );
    app.stop().await
}
