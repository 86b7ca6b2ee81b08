//! The steps around the password: what the second step offers, confirming identity
//! before a change, and completing a sign-in (after a code, an approved call, or the
//! first method registered at sign-in). The web layer stores what these return in
//! the browser session; the rules are all here.

use super::caller::{Caller, CallerRefusal, PendingSignIn, Registering};
use super::default_method;
use super::remembered;
use super::second_step::{self, CodeAttempt, CodeRefusal};
use super::security::method_view;
use super::sessions::{self, Origin, SignedInRecord};
use super::sign_in::{self, SignInNext, SignedIn};
use super::user_agent;
use crate::domain::phone_number::mask_e164;
use crate::domain::views::{SecondStepPhone, SecondStepView};
use crate::domain::{MethodKind, OtpCode, SignInMethod};
use crate::state::Services;
use crate::store::{MethodId, UserId, methods, phones};
use secrecy::SecretString;
use std::net::IpAddr;

/// The methods the second step offers the half-signed-in person, and the one to
/// start with (their default, or the one their trip says).
pub async fn second_step_options(
    state: &Services,
    pending: &PendingSignIn,
) -> anyhow::Result<SecondStepView> {
    let user = pending.user();
    let (have, start) = default_method::starting_method(state, user).await?;
    let sms = have.contains(&SignInMethod::Sms);
    let call = have.contains(&SignInMethod::PhoneCall);
    let phones = phones::list_active(&state.db, user)
        .await?
        .into_iter()
        .filter(|_| sms || call)
        .map(|p| {
            let takes_sms = p.phone_type.takes_sms();
            SecondStepPhone {
                method_id: p.method_id.0,
                masked: mask_e164(&p.e164, &p.international),
                sms: sms && takes_sms,
                call,
            }
        })
        .collect();
    let app_allowed = have.contains(&SignInMethod::AppCode);
    let apps = methods::list_active(&state.db, user)
        .await?
        .into_iter()
        .filter(|m| app_allowed && m.kind == MethodKind::Totp)
        .map(method_view)
        .collect();
    Ok(SecondStepView {
        methods: apps,
        phones,
        push: have.contains(&SignInMethod::AppNotification),
        start,
        remember_days: super::portal_settings::current(state)
            .await?
            .remember_browser_days,
    })
}

/// What a person offers to confirm it's them, as typed.
pub struct IdentityProof {
    pub method_id: Option<MethodId>,
    pub code: Option<String>,
    pub password: Option<SecretString>,
    pub ip: IpAddr,
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmRefusal {
    /// An agent acting for someone cannot confirm for them.
    Caller(CallerRefusal),
    /// They have a phone but no app: a phone's code confirms (through the phone
    /// challenge); once a second factor exists, the password alone is not enough.
    UsePhone,
    /// They have an app that takes notifications but none that shows codes: a
    /// notification confirms (`start_push` with the purpose `confirm`).
    UsePush,
    /// The code is not six digits (the message says how).
    CodeMalformed(String),
    /// No app was picked.
    NoMethod,
    Code(CodeRefusal),
    PasswordWrong,
}

/// Confirms identity before a change: a code from an app, or, while the person has
/// no method at all, their password. On success the web layer records the step-up.
pub async fn confirm_identity(
    state: &Services,
    caller: &Caller,
    proof: IdentityProof,
) -> anyhow::Result<Result<(), ConfirmRefusal>> {
    if let Err(refusal) = caller.require_writable() {
        return Ok(Err(ConfirmRefusal::Caller(refusal)));
    }
    let user = caller.subject.id;
    let has_apps = methods::count_of_kind(&state.db, user, MethodKind::Totp).await? > 0;
    let has_phones = methods::count_of_kind(&state.db, user, MethodKind::Phone).await? > 0;
    if !has_apps && super::push::has_device(state, user).await? {
        return Ok(Err(ConfirmRefusal::UsePush));
    }
    if !has_apps && has_phones {
        return Ok(Err(ConfirmRefusal::UsePhone));
    }
    if !has_apps {
        let password = proof.password.unwrap_or_else(|| SecretString::from(""));
        let confirmed = sign_in::confirm_password(state, user, password, proof.ip).await?;
        return Ok(if confirmed {
            Ok(())
        } else {
            Err(ConfirmRefusal::PasswordWrong)
        });
    }
    let code = match OtpCode::parse(proof.code.as_deref().unwrap_or_default()) {
        Ok(code) => code,
        Err(e) => return Ok(Err(ConfirmRefusal::CodeMalformed(e.to_string()))),
    };
    let Some(method_id) = proof.method_id else {
        return Ok(Err(ConfirmRefusal::NoMethod));
    };
    let attempt = CodeAttempt {
        method_id,
        code,
        ip: proof.ip,
        user_agent: proof.user_agent,
    };
    Ok(second_step::verify(state, user, attempt)
        .await?
        .map(|_event| ())
        .map_err(ConfirmRefusal::Code))
}

/// A sign-in whose second step (or first registration) just succeeded.
pub struct SecondStepPassed {
    pub user: UserId,
    /// The sign-in event the session belongs to.
    pub event_id: i64,
    pub session_epoch: i64,
}

impl SecondStepPassed {
    /// A code or an approved call at the second step, recorded as `event_id`.
    pub fn at_second_step(pending: &PendingSignIn, event_id: i64) -> Self {
        SecondStepPassed {
            user: pending.user(),
            event_id,
            session_epoch: pending.session_epoch,
        }
    }

    /// The first method registered at sign-in: the password step's event.
    pub fn by_registering(registering: &Registering) -> Self {
        Self::at_second_step(&registering.pending, registering.pending.event_id)
    }
}

/// A completed sign-in for the web layer to store, and the remembered-browser token
/// for its cookie when the person asked and policy allows.
pub struct CompletedSignIn {
    pub record: SignedInRecord,
    pub remember_token: Option<String>,
}

/// Completes a sign-in: a recorded session (recently verified), and the browser
/// remembered when asked.
pub async fn complete_sign_in(
    state: &Services,
    passed: SecondStepPassed,
    origin: &Origin,
    remember: bool,
) -> anyhow::Result<CompletedSignIn> {
    let signed_in = SignedIn {
        user_id: passed.user,
        event_id: passed.event_id,
        next: SignInNext::Complete { verified: true },
        session_epoch: passed.session_epoch,
    };
    let record = sessions::open(state, &signed_in, origin, true).await?;
    let remember_token = if remember {
        let label = user_agent::describe(&origin.user_agent);
        remembered::remember(state, passed.user, &label).await?
    } else {
        None
    };
    Ok(CompletedSignIn {
        record,
        remember_token,
    })
}
