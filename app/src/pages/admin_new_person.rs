//! `/admin/users/new`: an admin creates an account. The first password is shown
//! once (the person replaces it at their first sign-in), or the person is e-mailed
//! a set-up link to choose their own.

use crate::api::admin_people::AdminCreatePerson;
use crate::components::{
    AdminNav, AreaLayout, FormAlert, PortalLayout, SelectField, TextField, island_hydrating,
};
use crate::domain::{AppError, MfaState, Role};
use leptos::prelude::*;
use leptos_meta::Title;

pub const NEW_PERSON_PATH: &str = "/admin/users/new";

#[component]
pub fn AdminNewPersonPage() -> impl IntoView {
    view! {
        <Title text="New person · Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <p><a href=super::admin_people::PEOPLE_PATH>"← Back to People"</a></p>
                <h1>"New person"</h1>
                <section class="card" aria-labelledby="new-person-title">
                    <h2 id="new-person-title">"Account"</h2>
                    <CreatePersonForm />
                </section>
            </AreaLayout>
        </PortalLayout>
    }
}

#[island(lazy)]
fn CreatePersonForm() -> impl IntoView {
    island_hydrating();
    let create = ServerAction::<AdminCreatePerson>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let field = move |name: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.for_field(name)))
    };
    let fields = [
        "username",
        "display_name",
        "email",
        "role",
        "mfa_state",
        "first_password",
    ];
    let form_error = Signal::derive(move || {
        error
            .get()
            .filter(|e| fields.iter().all(|f| e.for_field(f).is_none()))
    });
    let created = move || create.value().get().and_then(Result::ok);
    view! {
        {move || match created() {
            Some(person) => view! {
                <div class="alert alert-ok" role="status">
                    {match (person.first_password, person.setup_link) {
                        (Some(password), _) => view! {
                            <p>{format!("The account {} was created. Its first password (shown only now):", person.username)}</p>
                            <p><code class="secret" data-testid="first-password">{password}</code></p>
                            <p class="small">"Give it to the person; they choose their own at their first sign-in."</p>
                        }.into_any(),
                        (None, Some(link)) => view! {
                            <p data-testid="setup-link-sent">{format!(
                                "The account {} was created. A set-up link went to {}; it works once, until {} UTC.",
                                person.username, link.email, link.until
                            )}</p>
                        }.into_any(),
                        (None, None) => view! { <p>{format!("The account {} was created.", person.username)}</p> }.into_any(),
                    }}
                    <p><a href=format!("/admin/users/{}", person.id)>"Open the person's page"</a></p>
                </div>
            }.into_any(),
            None => view! {
                <ActionForm action=create attr:class="form" attr:novalidate=true>
                    <FormAlert error=form_error />
                    {move || matches!(error.get(), Some(AppError::ReauthenticationRequired)).then(|| view! {
                        <p class="muted small"><a href="/security">"Confirm it's you on your Security info"</a>", then come back."</p>
                    })}
                    <TextField name="username" label="Username" autocomplete="off" error=field("username") />
                    <TextField name="display_name" label="Name" autocomplete="off" error=field("display_name") />
                    <TextField name="email" label="E-mail" kind="email" autocomplete="off" error=field("email") />
                    <SelectField name="role" label="Role" error=field("role")>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == Role::User>{r.label()}</option>
                        }).collect_view()}
                    </SelectField>
                    <SelectField name="mfa_state" label="MFA state" error=field("mfa_state")>
                        {MfaState::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=s == MfaState::Enabled>{s.label()}</option>
                        }).collect_view()}
                    </SelectField>
                    <SelectField name="first_password" label="First password" error=field("first_password")>
                        <option value="show" selected=true>"Generate one and show it to me once"</option>
                        <option value="email">"E-mail the person a link to choose their own"</option>
                    </SelectField>
                    <button type="submit" class="btn btn-primary">"Create account"</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}
