//! Security info: the person's phones, and adding one (country, number, kind, text
//! or call), verified before it counts.

use super::{
    AddAfterConfirming, ConfirmWays, FormAlert, PhoneChallengeStep, TextField, island_hydrating,
    reload_page,
};
use crate::api::phones::AddPhone;
use crate::api::security::RemoveMethod;
use crate::domain::views::{PhoneSetupView, PhoneView};
use crate::domain::{ChallengePurpose, PhoneChannel};
use leptos::prelude::*;

/// An island: adding or removing a phone reloads the page.
#[island(lazy)]
pub fn PhonesSection(
    phones: Vec<PhoneView>,
    setup: Option<PhoneSetupView>,
    ways: ConfirmWays,
    verified: bool,
) -> impl IntoView {
    island_hydrating();
    let refresh = reload_page();
    view! {
        <section class="card" aria-labelledby="phones-title">
            <h2 id="phones-title">"Phones"</h2>
            <p class="note">"Texts and calls can be intercepted or redirected (for example by taking over your phone number), so they are weaker than an authenticator app. Prefer the app where you can."</p>
            {if phones.is_empty() {
                view! { <p class="muted">"No phone yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="methods">
                        {phones.into_iter().map(|p| view! { <PhoneItem phone=p refresh /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {setup.map(|setup| view! {
                <AddAfterConfirming label="Add a phone" ways verified>
                    <AddPhoneForm setup=setup.clone() on_done=refresh />
                </AddAfterConfirming>
            })}
        </section>
    }
}

#[component]
fn PhoneItem(phone: PhoneView, refresh: Callback<()>) -> impl IntoView {
    let remove = ServerAction::<RemoveMethod>::new();
    let remove_error = Signal::derive(move || remove.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if matches!(remove.value().get(), Some(Ok(()))) {
            refresh.run(());
        }
    });
    let uses = if phone.takes_sms {
        "Texts and calls"
    } else {
        "Calls"
    };
    view! {
        <li class="method">
            <div class="method-head">
                <strong>{phone.number.clone()}</strong>
                <span class="muted">{phone.type_label.clone()}</span>
                {phone.set_by_org.then(|| view! { <span class="badge badge-muted">"Set by your organisation"</span> })}
            </div>
            <p class="muted small">{uses}" · added "{phone.added.clone()}</p>
            {if phone.locked {
                view! { <p class="muted small">"Your organisation manages this number. Ask your helpdesk to change it."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=remove attr:class="form inline-form">
                        <FormAlert error=remove_error />
                        <input type="hidden" name="method_id" value=phone.method_id />
                        <button type="submit" class="btn btn-danger">{format!("Remove {}", phone.number)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </li>
    }
}

#[component]
pub fn AddPhoneForm(setup: PhoneSetupView, on_done: Callback<()>) -> impl IntoView {
    let add = ServerAction::<AddPhone>::new();
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let challenge = move || add.value().get().and_then(Result::ok);
    let default_region = setup.default_region.clone();
    let call_hint = if setup.press_to_approve {
        "Call me (answer and confirm on the keypad)"
    } else {
        "Call me (we read out a code)"
    };
    let form = view! {
        <ActionForm action=add attr:class="form" attr:novalidate=true>
            <FormAlert error=Signal::derive(move || error.get().filter(|e| !matches!(e, crate::domain::AppError::Invalid { .. }))) />
            <SelectField name="region" label="Country or region" error=field("region")>
                {setup.regions.iter().map(|r| {
                    let selected = r.code == default_region;
                    view! { <option value=r.code.clone() selected=selected>{r.label.clone()}</option> }
                }).collect_view()}
            </SelectField>
            <TextField name="number" label="Phone number" kind="tel" autocomplete="tel" hint="As you would dial it, like 0612 345 678 or +31 6 12345678." error=field("number") />
            <SelectField name="phone_type" label="Kind of phone" error=field("phone_type")>
                {setup.types.iter().map(|(value, label)| view! { <option value=value.clone()>{label.clone()}</option> }).collect_view()}
            </SelectField>
            <fieldset class="field choice" aria-describedby="channel-error">
                <legend>"How should we check it?"</legend>
                {setup.sms_allowed.then(|| view! {
                    <div class="check"><input type="radio" id="channel-sms" name="channel" value=PhoneChannel::Sms.as_str() checked=true /><label for="channel-sms">"Text me a code"</label></div>
                })}
                {setup.voice_allowed.then(|| view! {
                    <div class="check"><input type="radio" id="channel-voice" name="channel" value=PhoneChannel::Voice.as_str() checked=!setup.sms_allowed /><label for="channel-voice">{call_hint}</label></div>
                })}
                <p class="muted small">"Office and alternate phones take calls only."</p>
                {move || field("channel").get().map(|text| view! { <p class="field-error" id="channel-error">{text}</p> })}
            </fieldset>
            <button type="submit" class="btn btn-primary">"Next"</button>
        </ActionForm>
    };
    view! {
        {move || challenge().map(|c| view! { <PhoneChallengeStep challenge=c purpose=ChallengePurpose::Enrol on_done /> })}
        <div class:hidden=move || challenge().is_some()>{form}</div>
    }
}

/// A labelled `<select>` with its error under it.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-invalid=move || error.get().is_some().then_some("true") aria-describedby=move || error.get().map(|_| described.clone())>
                {children()}
            </select>
            {move || error.get().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })}
        </div>
    }
}
