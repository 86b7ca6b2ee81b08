//! App passwords on Security info: create (shown once, with a copy button), list,
//! revoke one or all.
//!
//! An island. The list arrives with the page's security summary and is then kept
//! up to date from the actions' answers, without reloading: a reload would lose the
//! new password, which is shown once.

use super::{
    ConfirmIdentityForm, ConfirmWays, FormAlert, TextField, island_hydrating, reload_page,
};
use crate::api::app_passwords::{CreateAppPassword, RevokeAllAppPasswords, RevokeAppPassword};
use crate::domain::views::AppPasswordView;
use leptos::prelude::*;

#[island(lazy)]
pub fn AppPasswordsSection(
    initial: Vec<AppPasswordView>,
    ways: ConfirmWays,
    verified: bool,
) -> impl IntoView {
    island_hydrating();
    let create = ServerAction::<CreateAppPassword>::new();
    let revoke = ServerAction::<RevokeAppPassword>::new();
    let revoke_all = ServerAction::<RevokeAllAppPasswords>::new();
    let rows = RwSignal::new(initial);
    Effect::new(move |_| {
        if let Some(Ok(new)) = create.value().get() {
            rows.update(|rows| {
                if rows.iter().all(|row| row.id != new.id) {
                    let row = AppPasswordView {
                        id: new.id,
                        name: new.name.clone(),
                        created: new.created.clone(),
                        last_used: None,
                    };
                    rows.insert(0, row);
                }
            });
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = revoke.value().get() {
            rows.update(|rows| rows.retain(|row| row.id != id));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = revoke_all.value().get() {
            rows.update(Vec::clear);
        }
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let name_error = Signal::derive(move || error.get().and_then(|e| e.for_field("name")));
    let created = move || create.value().get().and_then(Result::ok);
    view! {
        <section class="card" aria-labelledby="app-passwords-title">
            <h2 id="app-passwords-title">"App passwords"</h2>
            <p class="muted">"For apps that cannot ask for a second step, such as older mail clients. Each one works only for the app you give it to, never for this portal."</p>
            {move || created().map(|new| view! { <ShowOnce name=new.name password=new.password /> })}
            {if verified {
                view! {
                    <ActionForm action=create attr:class="form inline-form" attr:novalidate=true>
                        <FormAlert error />
                        <TextField name="name" id="field-app-password-name" label="Name of the app" hint="For example \"Outlook on laptop\"." error=name_error />
                        <button type="submit" class="btn">"Create app password"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <p>"To create an app password, first confirm it's you."</p>
                    <ConfirmIdentityForm ways on_done=reload_page() />
                }.into_any()
            }}
            {move || view! { <AppPasswordList rows=rows.get() revoke revoke_all /> }}
        </section>
    }
    .into_any()
}

/// The new password, once: the server never shows it again.
#[component]
fn ShowOnce(name: String, password: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let text = password.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().navigator().clipboard().write_text(&text);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <div class="once" role="status">
            <p><strong>{format!("App password for \u{201c}{name}\u{201d}")}</strong></p>
            <p><code class="secret" data-testid="app-password">{password}</code></p>
            <p class="note">"Copy it into the app now. It will not be shown again."</p>
            <button type="button" class="btn" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
        </div>
    }
}

#[component]
fn AppPasswordList(
    rows: Vec<AppPasswordView>,
    revoke: ServerAction<RevokeAppPassword>,
    revoke_all: ServerAction<RevokeAllAppPasswords>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No app passwords."</p> }.into_any();
    }
    let several = rows.len() > 1;
    view! {
        <ul class="methods">
            {rows.into_iter().map(|row| view! {
                <li class="method">
                    <div class="method-head"><strong>{row.name.clone()}</strong></div>
                    <p class="muted small">"Created "{row.created.clone()}" · last used "{row.last_used.clone().unwrap_or_else(|| "never".to_owned())}</p>
                    <ActionForm action=revoke attr:class="inline-form">
                        <input type="hidden" name="id" value=row.id />
                        <button type="submit" class="btn btn-danger">{format!("Revoke {}", row.name)}</button>
                    </ActionForm>
                </li>
            }).collect_view()}
        </ul>
        {several.then(|| view! {
            <ActionForm action=revoke_all attr:class="inline-form">
                <button type="submit" class="btn btn-danger">"Revoke all app passwords"</button>
            </ActionForm>
        })}
    }
    .into_any()
}
