//! Security info: the default sign-in method, what is in effect now, and travel
//! mode (a date range with the method to use while away).

use super::phones::SelectField;
use super::{FormAlert, TextField, island_hydrating, reload_page};
use crate::api::travel::{AddTravelWindow, CancelTravelWindow, SetDefaultMethod};
use crate::domain::views::{DefaultMethodView, TravelWindowView};
use leptos::prelude::*;

/// An island: a saved choice or trip reloads the page.
#[island(lazy)]
pub fn DefaultMethodSection(view_model: DefaultMethodView) -> impl IntoView {
    island_hydrating();
    let refresh = reload_page();
    let set = ServerAction::<SetDefaultMethod>::new();
    let add = ServerAction::<AddTravelWindow>::new();
    let set_error = Signal::derive(move || set.value().get().and_then(Result::err));
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let add_field = move |name: &'static str| {
        Signal::derive(move || add_error.get().and_then(|e| e.for_field(name)))
    };
    Effect::new(move |_| {
        if matches!(set.value().get(), Some(Ok(_))) || matches!(add.value().get(), Some(Ok(_))) {
            refresh.run(());
        }
    });
    let DefaultMethodView {
        choices,
        chosen,
        effective,
        effective_until,
        travel_windows,
    } = view_model;
    if choices.is_empty() {
        return view! {
            <section class="card" aria-labelledby="default-title">
                <h2 id="default-title">"Default sign-in method"</h2>
                <p class="muted">"Add a method first; then choose which one sign-in starts with."</p>
            </section>
        }
        .into_any();
    }
    let in_effect = match (effective, effective_until) {
        (Some(label), Some(until)) => {
            format!("Travel mode: sign-in starts with \u{201c}{label}\u{201d} until {until}.")
        }
        (Some(label), None) => format!("Sign-in starts with \u{201c}{label}\u{201d}."),
        _ => String::new(),
    };
    let travel_choices = choices.clone();
    view! {
        <section class="card" aria-labelledby="default-title">
            <h2 id="default-title">"Default sign-in method"</h2>
            <p class="effective-method" role="status">{in_effect}</p>
            <ActionForm action=set attr:class="form inline-form" attr:novalidate=true>
                <FormAlert error=Signal::derive(move || set_error.get().filter(|e| e.for_field("method").is_none())) />
                <SelectField name="method" label="Start sign-in with" error=Signal::derive(move || set_error.get().and_then(|e| e.for_field("method")))>
                    {choices.iter().map(|c| {
                        let label = if c.weaker { format!("{} (less secure than the app)", c.label) } else { c.label.clone() };
                        view! { <option value=c.value.clone() selected=chosen.as_deref() == Some(c.value.as_str())>{label}</option> }
                    }).collect_view()}
                </SelectField>
                <button type="submit" class="btn">"Save default"</button>
            </ActionForm>
            <h3>"Travel mode"</h3>
            <p class="muted small">"Going where your usual method will not work, like abroad without mobile signal? Pick the days and the method to use meanwhile. Dates are in UTC; the default switches back on its own."</p>
            <TravelWindows windows=travel_windows refresh />
            <ActionForm action=add attr:class="form" attr:novalidate=true>
                <FormAlert error=Signal::derive(move || add_error.get().filter(|e| !matches!(e, crate::domain::AppError::Invalid { .. }))) />
                <div class="field-row">
                    <TextField name="from" label="First day" kind="date" error=add_field("from") />
                    <TextField name="to" label="Last day" kind="date" error=add_field("to") />
                </div>
                <SelectField name="travel_method" label="Method while away" error=add_field("travel_method")>
                    {travel_choices.iter().map(|c| view! { <option value=c.value.clone()>{c.label.clone()}</option> }).collect_view()}
                </SelectField>
                <TextField name="note" label="Note (optional)" required=false maxlength="200" error=add_field("note") />
                <button type="submit" class="btn">"Plan trip"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn TravelWindows(windows: Vec<TravelWindowView>, refresh: Callback<()>) -> impl IntoView {
    let cancel = ServerAction::<CancelTravelWindow>::new();
    let cancel_error = Signal::derive(move || cancel.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if matches!(cancel.value().get(), Some(Ok(_))) {
            refresh.run(());
        }
    });
    if windows.is_empty() {
        return view! { <p class="muted">"No trip planned."</p> }.into_any();
    }
    view! {
        <FormAlert error=cancel_error />
        <ul class="methods travel-windows">
            {windows.into_iter().map(|w| {
                let when = format!("{} to {}", w.from, w.to);
                view! {
                    <li class="method">
                        <div class="method-head">
                            <strong>{when.clone()}</strong>
                            {if w.active {
                                view! { <span class="badge badge-ok">"In effect"</span> }.into_any()
                            } else {
                                view! { <span class="badge badge-muted">"Upcoming"</span> }.into_any()
                            }}
                        </div>
                        <p class="muted small">{w.method.clone()}{(!w.note.is_empty()).then(|| format!(" · {}", w.note))}</p>
                        <ActionForm action=cancel attr:class="inline-form">
                            <input type="hidden" name="window_id" value=w.id />
                            <button type="submit" class="btn">{format!("Cancel trip {when}")}</button>
                        </ActionForm>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
