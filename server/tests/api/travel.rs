//! The default method and travel mode: the second step starts with the default,
//! switches to a trip's method at its first day and back after its last, with no
//! job running in between; overlapping trips are refused; trips can be cancelled.

use crate::phone_helpers::*;
use crate::totp_helpers::{enrol, error_of, invalid_message, password_step};
use app::services::time_format::utc_day;
use reqwest::StatusCode;

const DAY: i64 = 86_400;

#[tokio::test]
async fn travel_mode_switches_the_default_on_and_off_at_the_boundaries() {
    let t = spawn_dev().await;
    user_with_phone(&t, "xena").await;
    enrol(&t, &t.client, "Phone app").await;
    let res = t
        .post_form(&t.client, "/api/set_default_method", &[("method", "sms")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let now = t.clock_now();
    let first_day = utc_day(now + 2 * DAY);
    let last_day = utc_day(now + 4 * DAY);
    let plan = |from: String, to: String, method: &'static str| {
        let client = t.client.clone();
        let t = &t;
        async move {
            t.post_form(
                &client,
                "/api/add_travel_window",
                &[
                    ("from", &from),
                    ("to", &to),
                    ("travel_method", method),
                    ("note", "Trip"),
                ],
            )
            .await
        }
    };
    let res = plan(first_day.clone(), last_day.clone(), "app_code").await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    // Overlap refused, next to the first-day field.
    let res = plan(utc_day(now + 4 * DAY), utc_day(now + 6 * DAY), "phone_call").await;
    assert!(invalid_message(res).await.contains("overlaps"));
    // A method the person does not have is refused.
    let res = plan(
        utc_day(now + 10 * DAY),
        utc_day(now + 11 * DAY),
        "app_notification",
    )
    .await;
    assert!(
        invalid_message(res)
            .await
            .contains("Pick one of the methods")
    );

    let start_of_trip = now - now.rem_euclid(DAY) + 2 * DAY;
    let starts_with = |at: i64| {
        let t = &t;
        async move {
            t.clock.advance_secs(at - t.clock_now());
            let browser = crate::helpers::new_client();
            password_step(t, &browser, "xena").await;
            second_step_view(t, &browser).await["start"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        }
    };
    assert_eq!(starts_with(start_of_trip - 1).await, "sms");
    assert_eq!(starts_with(start_of_trip).await, "app_code");
    assert_eq!(starts_with(start_of_trip + 3 * DAY - 1).await, "app_code");
    assert_eq!(starts_with(start_of_trip + 3 * DAY).await, "sms");
}

#[tokio::test]
async fn a_planned_trip_is_shown_and_can_be_cancelled() {
    let t = spawn_dev().await;
    user_with_phone(&t, "yara").await;
    let now = t.clock_now();
    let res = t
        .post_form(
            &t.client,
            "/api/add_travel_window",
            &[
                ("from", &utc_day(now + DAY)),
                ("to", &utc_day(now + DAY)),
                ("travel_method", "phone_call"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let window_id: i64 = res.json().await.unwrap();
    let info: serde_json::Value = t
        .post_form(&t.client, "/api/security_info", &[])
        .await
        .json()
        .await
        .unwrap();
    let windows = &info["default_method"]["travel_windows"];
    assert_eq!(windows[0]["from"], utc_day(now + DAY));
    assert_eq!(windows[0]["active"], false);
    assert_eq!(windows[0]["method"], "Call my phone");
    let id = window_id.to_string();
    assert_eq!(
        t.post_form(
            &t.client,
            "/api/cancel_travel_window",
            &[("window_id", &id)]
        )
        .await
        .status(),
        StatusCode::OK
    );
    let res = t
        .post_form(
            &t.client,
            "/api/cancel_travel_window",
            &[("window_id", &id)],
        )
        .await;
    assert_eq!(error_of(res).await, "TravelWindowNotFound");
    let info: serde_json::Value = t
        .post_form(&t.client, "/api/security_info", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        info["default_method"]["travel_windows"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // A trip in the past is refused.
    let res = t
        .post_form(
            &t.client,
            "/api/add_travel_window",
            &[
                ("from", &utc_day(now - 2 * DAY)),
                ("to", &utc_day(now)),
                ("travel_method", "sms"),
                ("note", ""),
            ],
        )
        .await;
    assert!(invalid_message(res).await.contains("past"));
}
