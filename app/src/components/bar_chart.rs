//! A horizontal bar chart drawn on the server as SVG: no chart library, no script.
//! Screen readers get the title and every value as the image's description.

use crate::domain::dashboard::Bar;
use leptos::prelude::*;

const ROW: i64 = 28;
const LABEL_WIDTH: i64 = 170;
const BAR_WIDTH: i64 = 150;

#[component]
pub fn BarChart(
    /// A unique prefix for the title and description ids.
    id: String,
    title: String,
    bars: Vec<Bar>,
    /// The value a full bar stands for (the largest bar when not given).
    #[prop(optional)]
    scale: Option<i64>,
) -> impl IntoView {
    if bars.iter().all(|b| b.value == 0) {
        return view! { <p class="muted small">{format!("{title}: none.")}</p> }.into_any();
    }
    let full = scale
        .unwrap_or_else(|| bars.iter().map(|b| b.value).max().unwrap_or(1))
        .max(1);
    let description = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.value))
        .collect::<Vec<_>>()
        .join("; ");
    let height = ROW * bars.len() as i64;
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <svg class="bar-chart" role="img" aria-labelledby=labelled_by
            viewBox=format!("0 0 {} {height}", LABEL_WIDTH + BAR_WIDTH + 60)
            preserveAspectRatio="xMinYMin meet">
            <title id=title_id>{title}</title>
            <desc id=desc_id>{description}</desc>
            {bars.into_iter().enumerate().map(|(row, bar)| {
                let y = row as i64 * ROW;
                let width = (bar.value * BAR_WIDTH / full).max(i64::from(bar.value > 0));
                view! {
                    <g aria-hidden="true">
                        <text x="0" y=y + 18 class="bar-label">{bar.label}</text>
                        <rect x=LABEL_WIDTH y=y + 6 width=width height="16" rx="2" class="bar" />
                        <text x=LABEL_WIDTH + width + 6 y=y + 18 class="bar-value">{bar.value}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
    .into_any()
}
