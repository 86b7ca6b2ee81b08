//! OATH hardware tokens: admins upload the vendor's seed file (each seed sealed at
//! once, bound to its serial), assign a token to a person with one code it shows
//! (the person's new method is active from then on, as an app is after its first
//! code), and resynchronise a counter-based (HOTP) token that has run ahead of its
//! look-ahead window with two consecutive codes.

mod token_file;

pub use token_file::MAX_TOKENS;

use super::audit::{self, Actor, AuditRecord};
use super::authenticator::{HOTP_LOOK_AHEAD, HOTP_RESYNC_WINDOW, seal_context};
use super::caller::{Admin, Person, Verified};
use super::otp::totp::{self, Algorithm, TotpParams};
use super::security;
use super::time_format::utc_minutes;
use crate::domain::hardware_tokens::{AssignedToken, TokenImportView, TokensView, UnassignedToken};
use crate::domain::{AuditAction, FieldError, OtpCode, Username};
use crate::state::Services;
use crate::store::hardware_tokens::{self, Assignment, NewImport, NewToken, TokenRow};
use crate::store::{totp as totp_store, users};
use anyhow::{Context, anyhow};

/// Tokens listed on the page (the rest are counted).
const LISTED: i64 = 200;

fn token_context(serial: &str) -> String {
    format!("hardware-token:{serial}")
}

/// Reads and stores a token file; tokens whose serial is known are left as they
/// are. Returns the id of the import's report.
pub async fn import_file(
    state: &Services,
    admin: &Admin,
    file_name: &str,
    bytes: &[u8],
) -> anyhow::Result<i64> {
    let now = state.clock.now();
    let by = admin.actor.username.as_str();
    let file_name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let (tokens, refused) = match token_file::read(bytes) {
        Ok(read) => read,
        Err(problem) => return refused_file(state, admin, &file_name, &problem).await,
    };
    let mut tx = state.db.begin().await?;
    let (mut imported, mut already_known) = (0, 0);
    for token in &tokens {
        let sealed = state
            .keys
            .seal(&token.secret, &token_context(&token.serial))?;
        let new = NewToken {
            serial: &token.serial,
            mode: token.mode.as_str(),
            algorithm: token.algorithm.as_str(),
            digits: i64::from(token.digits),
            period: token.period,
            counter: token.counter,
            sealed_secret: &sealed,
            now,
            imported_by: by,
        };
        if hardware_tokens::insert(&mut *tx, new).await? {
            imported += 1;
        } else {
            already_known += 1;
        }
    }
    let problems: Vec<String> = refused
        .iter()
        .map(|p| format!("Line {} ({}): {}", p.line, p.serial, p.problem))
        .collect();
    let report = NewImport {
        now,
        imported_by: by,
        file_name: &file_name,
        imported,
        already_known,
        problems: &problems.join("\n"),
    };
    let id = hardware_tokens::record_import(&mut *tx, report).await?;
    let detail = format!(
        "{imported} tokens imported from {file_name}, {already_known} already known, {} rows refused",
        problems.len()
    );
    let actor = admin.audit_actor();
    let record = AuditRecord {
        actor: &actor,
        subject: None,
        action: AuditAction::TokensImported,
        detail: &detail,
        ip: None,
    };
    audit::record(&mut *tx, now, record).await?;
    tx.commit().await.context("committing a token import")?;
    Ok(id)
}

/// Records an upload whose file could not be read at all, with the reason.
pub async fn refuse_upload(state: &Services, admin: &Admin, problem: &str) -> anyhow::Result<i64> {
    refused_file(state, admin, "", problem).await
}

async fn refused_file(
    state: &Services,
    admin: &Admin,
    file_name: &str,
    problem: &str,
) -> anyhow::Result<i64> {
    let report = NewImport {
        now: state.clock.now(),
        imported_by: &admin.actor.username,
        file_name,
        imported: 0,
        already_known: 0,
        problems: problem,
    };
    hardware_tokens::record_import(state.db.pool(), report).await
}

fn kind_words(row: &TokenRow) -> String {
    if row.mode == "hotp" {
        format!("Counter-based (HOTP), {} digits", row.digits)
    } else {
        format!("Time-based (TOTP), {} digits, {} s", row.digits, row.period)
    }
}

pub async fn view(
    state: &Services,
    _admin: &Admin,
    import_id: Option<i64>,
) -> anyhow::Result<TokensView> {
    let (unassigned, unassigned_total) = hardware_tokens::unassigned(&state.db, LISTED).await?;
    let assigned = hardware_tokens::assigned(&state.db, LISTED).await?;
    let last_import = match import_id {
        Some(id) => hardware_tokens::find_import(&state.db, id)
            .await?
            .map(|row| TokenImportView {
                file_name: row.file_name,
                imported: row.imported,
                already_known: row.already_known,
                problems: row
                    .problems
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }),
        None => None,
    };
    Ok(TokensView {
        unassigned: unassigned
            .iter()
            .map(|row| UnassignedToken {
                serial: row.serial.clone(),
                kind: kind_words(row),
                imported: utc_minutes(row.imported_at),
            })
            .collect(),
        unassigned_total,
        assigned: assigned
            .into_iter()
            .map(|row| AssignedToken {
                serial: row.serial,
                counter_based: row.mode == "hotp",
                person_id: row.user_id.0,
                person: row.display_name,
                username: row.username,
                assigned: row.assigned_at.map(utc_minutes).unwrap_or_default(),
            })
            .collect(),
        last_import,
    })
}

fn params(row: &TokenRow) -> anyhow::Result<TotpParams> {
    Ok(TotpParams {
        algorithm: Algorithm::parse(&row.algorithm)
            .ok_or_else(|| anyhow!("unknown algorithm {}", row.algorithm))?,
        digits: u32::try_from(row.digits).context("digits column")?,
        period: row.period,
    })
}

const WRONG_CODE: &str = "This is not the code the token shows now. Press its button (or wait for the next code) and enter the new one.";

/// Assigns the unassigned token `serial` to the person named `username`, after one
/// code from it proves the admin holds that token; the person is told by e-mail.
pub async fn assign(
    state: &Services,
    admin: &Verified<Admin>,
    username: &str,
    serial: &str,
    code: &str,
    ip: &str,
) -> anyhow::Result<Result<(), FieldError>> {
    let person = match Username::parse(username) {
        Ok(name) => users::find_by_username(&state.db, &name).await?,
        Err(_) => None,
    };
    let Some(person) = person else {
        return Ok(Err(FieldError::new(
            "username",
            "No person has this username.",
        )));
    };
    let Some(token) = hardware_tokens::find_by_serial(&state.db, serial.trim()).await? else {
        return Ok(Err(FieldError::new(
            "serial",
            "No token has this serial number.",
        )));
    };
    if token.method_id.is_some() {
        return Ok(Err(FieldError::new(
            "serial",
            "This token is already assigned.",
        )));
    }
    let Ok(code) = OtpCode::parse(code) else {
        return Ok(Err(FieldError::new("code", WRONG_CODE)));
    };
    let params = params(&token)?;
    let secret = state
        .keys
        .open(&token.sealed_secret, &token_context(&token.serial))?;
    let now = state.clock.now();
    let (counter, last_used_step) = if token.mode == "hotp" {
        let window = token.counter..token.counter + HOTP_LOOK_AHEAD;
        match totp::matching_counter(&secret, params, code.as_str(), window) {
            Some(matched) => (Some(matched + 1), None),
            None => return Ok(Err(FieldError::new("code", WRONG_CODE))),
        }
    } else {
        let current = params.step_at(now);
        match totp::matching_step(&secret, params, code.as_str(), current - 1..=current + 1) {
            Some(step) => (None, Some(step)),
            None => return Ok(Err(FieldError::new("code", WRONG_CODE))),
        }
    };
    let name = format!("Hardware token {}", token.serial);
    let mut tx = state.db.begin().await?;
    let assignment = Assignment {
        token_id: token.id,
        user: person.id,
        name: &name,
        mode: &token.mode,
        algorithm: &token.algorithm,
        digits: token.digits,
        period: token.period,
        counter,
        last_used_step,
        now,
    };
    let keys = &state.keys;
    let assigned = hardware_tokens::assign(&mut tx, assignment, |method_id| {
        keys.seal(&secret, &seal_context(method_id))
    })
    .await?;
    if assigned.is_none() {
        return Ok(Err(FieldError::new(
            "serial",
            "This token is already assigned.",
        )));
    }
    tx.commit().await.context("committing a token assignment")?;
    let owner = Person::from(&person);
    let what = format!("the hardware token {}", token.serial);
    let actor = admin.audit_actor();
    security::method_added_by(state, &owner, &actor, &what, ip).await?;
    Ok(Ok(()))
}

/// Moves an assigned HOTP token's counter past two consecutive codes found within the
/// resynchronisation window, when it has run beyond the look-ahead window.
pub async fn resync(
    state: &Services,
    admin: &Verified<Admin>,
    serial: &str,
    first: &str,
    second: &str,
    ip: &str,
) -> anyhow::Result<Result<(), FieldError>> {
    let Some(token) = hardware_tokens::find_by_serial(&state.db, serial.trim()).await? else {
        return Ok(Err(FieldError::new(
            "resync_serial",
            "No token has this serial number.",
        )));
    };
    if token.mode != "hotp" {
        return Ok(Err(FieldError::new(
            "resync_serial",
            "Time-based tokens follow the clock and need no resynchronising.",
        )));
    }
    let Some(method_id) = token.method_id else {
        return Ok(Err(FieldError::new(
            "resync_serial",
            "This token is not assigned to anyone.",
        )));
    };
    let (Ok(first), Ok(second)) = (OtpCode::parse(first), OtpCode::parse(second)) else {
        return Ok(Err(FieldError::new(
            "first_code",
            "Enter two codes the token shows one after the other.",
        )));
    };
    let owner = hardware_tokens::owner_of(&state.db, method_id).await?;
    let row = totp_store::find(&state.db, owner, method_id)
        .await?
        .context("an assigned token without its seed")?;
    let params = params(&token)?;
    let secret = state
        .keys
        .open(&row.sealed_secret, &seal_context(method_id))?;
    let counter = row.counter.unwrap_or(0);
    let found = (counter..counter + HOTP_RESYNC_WINDOW).find(|at| {
        totp::matching_counter(&secret, params, first.as_str(), *at..*at + 1).is_some()
            && totp::matching_counter(&secret, params, second.as_str(), *at + 1..*at + 2).is_some()
    });
    let Some(at) = found else {
        return Ok(Err(FieldError::new(
            "first_code",
            "These two codes do not follow each other on this token. Press its button twice and enter both codes.",
        )));
    };
    if !hardware_tokens::move_counter(&state.db, method_id, counter, at + 2).await? {
        return Ok(Err(FieldError::new(
            "first_code",
            "The token was used meanwhile. Press its button twice and enter both new codes.",
        )));
    }
    let detail = format!(
        "hardware token {} resynchronised: counter {counter} -> {}",
        token.serial,
        at + 2
    );
    let actor: Actor = admin.audit_actor();
    let record = AuditRecord {
        actor: &actor,
        subject: Some(owner),
        action: AuditAction::TokenResynchronised,
        detail: &detail,
        ip: Some(ip),
    };
    audit::record(state.db.pool(), state.clock.now(), record).await?;
    Ok(Ok(()))
}
