//! `/admin/policies`: every run-time setting, grouped, each with what it does and
//! its default; one form per setting; and the changes since a day, from the audit
//! log.

use crate::api::policies::{AdminSetPolicy, admin_policies};
use crate::components::{
    AdminNav, AreaLayout, ErrorAlert, FormAlert, PortalLayout, TableCard, TextField,
    island_hydrating, reload_page,
};
use crate::domain::directory::AuditEntryView;
use crate::domain::policy::{PoliciesView, SettingKind, SettingView};
use crate::domain::{AppError, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const POLICIES_PATH: &str = "/admin/policies";

#[component]
pub fn AdminPoliciesPage() -> impl IntoView {
    let query = use_query_map();
    let since = move || query.read().get("since");
    let page = Resource::new(since, admin_policies);
    view! {
        <Title text="Policies · Admin" />
        <PortalLayout required=Role::Admin>
            <AreaLayout area="Admin" summary="Users, MFA states and account safety across the portal.">
                <AdminNav />
                <h1>"Policies"</h1>
                <p class="lede">"Each setting takes effect at once for everyone. Changes need your own recent verification and are kept in the audit log."</p>
                <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match page.await {
                            Ok(view) => view! { <Policies view /> }.into_any(),
                            Err(error) => {
                                let since_error = error.for_field("since");
                                view! {
                                    <ChangesFilter since=since().unwrap_or_default() error=since_error />
                                    {error.for_field("since").is_none().then(|| view! { <ErrorAlert error /> })}
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </AreaLayout>
        </PortalLayout>
    }
}

#[component]
fn Policies(view: PoliciesView) -> impl IntoView {
    let since = view.since.clone().unwrap_or_default();
    view! {
        <div class="cards">
            {view.groups.into_iter().map(|group| {
                let id = format!("policy-group-{}", group.title.to_lowercase().replace(' ', "-"));
                let labelled_by = id.clone();
                view! {
                    <section class="card" aria-labelledby=labelled_by>
                        <h2 id=id>{group.title}</h2>
                        {group.settings.into_iter().map(|setting| view! { <SettingForm setting /> }).collect_view()}
                    </section>
                }
            }).collect_view()}
        </div>
        <ChangesFilter since error=None />
        <Changes rows=view.changes />
    }
}

/// One setting's form; the page shows the new value once saved.
#[island(lazy)]
fn SettingForm(setting: SettingView) -> impl IntoView {
    island_hydrating();
    let save = ServerAction::<AdminSetPolicy>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let value_error = Signal::derive(move || error.get().and_then(|e| e.for_field("value")));
    let saved = reload_page();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            saved.run(());
        }
    });
    let input_id = format!("policy-{}", setting.key);
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match value_error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    let invalid = move || value_error.get().is_some().then_some("true");
    let input = match setting.kind {
        SettingKind::YesNo => view! {
            <select id=input_id.clone() name="value" aria-describedby=described aria-invalid=invalid>
                <option value="true" selected=setting.value == "true">"Yes"</option>
                <option value="false" selected=setting.value == "false">"No"</option>
            </select>
        }
        .into_any(),
        SettingKind::Number => view! {
            <input id=input_id.clone() name="value" type="text" inputmode="numeric" value=setting.value.clone()
                aria-describedby=described aria-invalid=invalid />
        }
        .into_any(),
        SettingKind::List => view! {
            <input id=input_id.clone() name="value" type="text" autocomplete="off" value=setting.value.clone()
                aria-describedby=described aria-invalid=invalid />
        }
        .into_any(),
    };
    let default_text = match (setting.kind, setting.default_value.as_str()) {
        (SettingKind::YesNo, "true") => "Default: yes.".to_owned(),
        (SettingKind::YesNo, _) => "Default: no.".to_owned(),
        (_, "") => "Default: empty.".to_owned(),
        (_, value) => format!("Default: {value}."),
    };
    view! {
        <ActionForm action=save attr:class="form policy-setting" attr:novalidate=true>
            <FormAlert error=Signal::derive(move || error.get().filter(|e| e.for_field("value").is_none())) />
            {move || matches!(error.get(), Some(AppError::ReauthenticationRequired)).then(|| view! {
                <p class="muted small"><a href="/security">"Confirm it's you on your Security info"</a>", then come back."</p>
            })}
            <input type="hidden" name="key" value=setting.key.clone() />
            <div class="field" class:field-invalid=move || value_error.get().is_some()>
                <label for=input_id>{setting.label}</label>
                <p class="field-hint" id=hint_id>{format!("{} {}", setting.explanation, default_text)}</p>
                {input}
                {move || value_error.get().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })}
            </div>
            <button type="submit" class="btn">"Save"</button>
        </ActionForm>
    }
}

/// "Changes since": a plain GET form; the address keeps the day.
#[component]
fn ChangesFilter(since: String, error: Option<String>) -> impl IntoView {
    view! {
        <form method="get" action=POLICIES_PATH class="form inline-form" aria-label="Policy changes since">
            <TextField name="since" label="Changes since (UTC day)" value=since hint="YYYY-MM-DD; empty shows all." required=false error=Signal::derive(move || error.clone()) />
            <button type="submit" class="btn">"Show changes"</button>
        </form>
    }
}

#[component]
fn Changes(rows: Vec<AuditEntryView>) -> impl IntoView {
    view! {
        <TableCard
            id="policy-changes-title"
            title="Policy changes"
            caption="Policy changes, newest first"
            headers=&["When", "By", "Change"]
            empty=rows.is_empty().then_some("No policy changes in this period.")
        >
            {rows.into_iter().map(|row| view! {
                <tr data-testid="policy-change">
                    <td data-label="When">{row.when}</td>
                    <td data-label="By">{row.actor}</td>
                    <td data-label="Change">{row.detail}</td>
                </tr>
            }).collect_view()}
        </TableCard>
    }
}
