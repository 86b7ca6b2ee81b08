//! A card holding one table (rows become cards on phones), or a sentence when the
//! table would be empty.

use leptos::prelude::*;

/// `children` are the `<tr>` rows; `empty` is shown instead of the table when set.
#[component]
pub fn TableCard(
    /// The heading's id, which names the card's region.
    id: &'static str,
    title: &'static str,
    /// Read by screen readers before the table.
    caption: &'static str,
    headers: &'static [&'static str],
    empty: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let body = match empty {
        Some(text) => view! { <p class="muted">{text}</p> }.into_any(),
        None => view! {
            <div class="table-wrap">
                <table class="stacked">
                    <caption class="visually-hidden">{caption}</caption>
                    <thead>
                        <tr>{headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>{children()}</tbody>
                </table>
            </div>
        }
        .into_any(),
    };
    view! {
        <section class="card" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {body}
        </section>
    }
}
