//! `/security`: Security info. The person's sign-in methods (rename, remove), adding
//! an authenticator app, the browsers that skip the second step, and where they are
//! signed in.

use crate::api::security::{
    ChangePassword, ForgetDevice, RemoveMethod, RenameMethod, security_info,
};
use crate::components::{
    AddAfterConfirming, AddAuthenticator, AddPushDevice, AppPasswordsSection, ConfirmIdentityForm,
    ConfirmWays, DefaultMethodSection, FormAlert, Loaded, PhonesSection, PortalLayout,
    SessionsSection, TextField, island_hydrating, reload_page,
};
use crate::domain::views::{DeviceView, MethodView, SecuritySummary};
use crate::domain::{MfaState, Role};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SecurityPage() -> impl IntoView {
    view! {
        <Title text="Security info" />
        <PortalLayout required=Role::User>
            <SecurityPanel />
        </PortalLayout>
    }
}

#[component]
fn SecurityPanel() -> impl IntoView {
    let info = Resource::new(|| (), |_| security_info());
    // After a temporary access pass the person is here to set up a new way in.
    let by_pass = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("signed_in_with")
        .is_some_and(|how| how == "pass");
    view! {
        <h1>"Security info"</h1>
        <p class="lede">"These are the methods you use to sign in and to reset your access."</p>
        {by_pass.then(|| view! {
            <p class="alert alert-ok" role="status" data-testid="signed-in-with-pass">
                "You signed in with a temporary access pass. Add a new way to sign in now: an authenticator app below, or a phone."
            </p>
        })}
        <Loaded data=info then=|info| view! { <SecuritySections info /> } />
    }
    .into_any()
}

/// Rendered on the server; each section with a form is an island, which reloads
/// the page once its change is saved.
#[component]
fn SecuritySections(info: SecuritySummary) -> impl IntoView {
    let enforced = info.mfa_state == MfaState::Enforced;
    let verified = info.recently_verified;
    let ways = ConfirmWays {
        methods: info.methods.clone(),
        phones: info.phones.clone(),
        push: !info.push_devices.is_empty(),
    };
    let listed: Vec<MethodView> = info
        .methods
        .iter()
        .chain(&info.push_devices)
        .cloned()
        .collect();
    view! {
        <section class="card" aria-labelledby="methods-title">
            <h2 id="methods-title">"Sign-in methods"</h2>
            {if listed.is_empty() {
                view! { <p class="muted">"You have no sign-in method yet. Add an authenticator app so a stolen password is not enough to get in."</p> }.into_any()
            } else {
                view! {
                    <ul class="methods">
                        {listed.iter().cloned().map(|m| view! { <MethodItem method=m ways=ways.clone() verified /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {enforced.then(|| view! { <p class="note">"Your organisation requires a second step at every sign-in, so you always keep at least one method."</p> })}
        </section>
        <section class="card" aria-labelledby="add-title">
            <h2 id="add-title">"Add a method"</h2>
            <AddMethod ways=ways.clone() verified />
        </section>
        <PhonesSection phones=info.phones.clone() setup=info.phone_setup.clone() ways=ways.clone() verified />
        <DefaultMethodSection view_model=info.default_method.clone() />
        <AppPasswordsSection initial=info.app_passwords.clone() ways verified />
        <DevicesSection devices=info.devices />
        <SessionsSection sessions=info.sessions />
        <PasswordSection />
    }
    .into_any()
}

/// "Add authenticator app" (codes) or "Add app with notifications": confirm it's
/// you if that is due, then the set-up.
#[island(lazy)]
fn AddMethod(ways: ConfirmWays, verified: bool) -> impl IntoView {
    island_hydrating();
    view! {
        <div class="add-ways">
            <AddAfterConfirming label="Add authenticator app" ways=ways.clone() verified>
                <AddAuthenticator on_done=reload_page() />
            </AddAfterConfirming>
            <AddAfterConfirming label="Add app with notifications" ways verified>
                <AddPushDevice on_done=reload_page() />
            </AddAfterConfirming>
        </div>
    }
}

#[component]
fn MethodItem(method: MethodView, ways: ConfirmWays, verified: bool) -> impl IntoView {
    let last_used = method
        .last_used
        .clone()
        .unwrap_or_else(|| "never".to_owned());
    view! {
        <li class="method">
            <div class="method-head">
                <strong>{method.name.clone()}</strong>
                <span class="muted">{method.kind_label.clone()}</span>
            </div>
            <p class="muted small">"Added "{method.added.clone()}" · last used "{last_used}</p>
            <MethodActions method_id=method.id name=method.name ways verified />
        </li>
    }
}

#[island(lazy)]
fn MethodActions(method_id: i64, name: String, ways: ConfirmWays, verified: bool) -> impl IntoView {
    island_hydrating();
    let rename = ServerAction::<RenameMethod>::new();
    let remove = ServerAction::<RemoveMethod>::new();
    let rename_error = Signal::derive(move || rename.value().get().and_then(Result::err));
    let remove_error = Signal::derive(move || remove.value().get().and_then(Result::err));
    let saved = reload_page();
    Effect::new(move |_| {
        if matches!(rename.value().get(), Some(Ok(())))
            || matches!(remove.value().get(), Some(Ok(())))
        {
            saved.run(());
        }
    });
    view! {
        <details class="method-actions">
            <summary>"Rename or remove"</summary>
            <ActionForm action=rename attr:class="form inline-form" attr:novalidate=true>
                <FormAlert error=rename_error />
                <input type="hidden" name="method_id" value=method_id />
                <TextField name="name" id=format!("field-rename-{method_id}") label="New name" error=Signal::derive(move || rename_error.get().and_then(|e| e.for_field("name"))) />
                <button type="submit" class="btn">"Rename"</button>
            </ActionForm>
            {(!verified).then(|| view! {
                <p class="muted small">"To remove it, first confirm it's you."</p>
                <ConfirmIdentityForm ways on_done=saved />
            })}
            <ActionForm action=remove attr:class="form inline-form">
                <FormAlert error=remove_error />
                <input type="hidden" name="method_id" value=method_id />
                <button type="submit" class="btn btn-danger">{format!("Remove \u{201c}{name}\u{201d}")}</button>
            </ActionForm>
        </details>
    }
}

#[island(lazy)]
fn DevicesSection(devices: Vec<DeviceView>) -> impl IntoView {
    island_hydrating();
    let forget = ServerAction::<ForgetDevice>::new();
    let saved = reload_page();
    Effect::new(move |_| {
        if matches!(forget.value().get(), Some(Ok(()))) {
            saved.run(());
        }
    });
    view! {
        <section class="card" aria-labelledby="devices-title">
            <h2 id="devices-title">"Remembered browsers"</h2>
            {if devices.is_empty() {
                view! { <p class="muted">"No browser skips the second step."</p> }.into_any()
            } else {
                view! {
                    <ul class="methods">
                        {devices.into_iter().map(|d| view! {
                            <li class="method">
                                <div class="method-head"><strong>{d.label.clone()}</strong></div>
                                <p class="muted small">"Remembered "{d.remembered.clone()}" · until "{d.until.clone()}</p>
                                <ActionForm action=forget attr:class="inline-form">
                                    <input type="hidden" name="device_id" value=d.id />
                                    <button type="submit" class="btn">{format!("Forget {}", d.label)}</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// Stays on the page after a change, so its confirmation can be read.
#[island(lazy)]
fn PasswordSection() -> impl IntoView {
    island_hydrating();
    let change = ServerAction::<ChangePassword>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let done = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">"Password"</h2>
            <div aria-live="polite">
                {move || done().then(|| view! {
                    <p class="alert alert-ok">"Your password was changed. Every other browser was signed out, and remembered browsers will ask for a code again."</p>
                })}
            </div>
            <ActionForm action=change attr:class="form" attr:novalidate=true>
                <FormAlert error />
                <TextField name="current_password" label="Current password" kind="password" autocomplete="current-password" error=field("current_password") />
                <TextField
                    name="new_password"
                    label="New password"
                    kind="password"
                    autocomplete="new-password"
                    hint=crate::components::NEW_PASSWORD_HINT
                    error=field("new_password")
                />
                <button type="submit" class="btn">"Change password"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
