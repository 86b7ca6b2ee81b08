//! A phone number as the portal keeps it: parsed with `phonenumber` (Google's
//! libphonenumber metadata) from whatever the person typed, valid for its country,
//! stored in E.164 and shown in international format. Server-side only: the
//! metadata would add megabytes to the browser bundle.

use super::sign_in_method::PhoneType;
use phonenumber::{Mode, Type};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// `+31612345678`
    e164: String,
    /// ISO 3166 alpha-2 region of the number, `NL`.
    region: String,
    /// `+31 6 12345678`
    international: String,
    /// Whether the number could be a mobile (text messages can reach it).
    mobile: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneNumberError {
    #[error("Enter a phone number.")]
    Empty,
    #[error("Pick the country of the phone number.")]
    UnknownCountry,
    #[error(
        "That is not a valid phone number. Check the digits, or start with + and the country code."
    )]
    Invalid,
    #[error(
        "Premium-rate, toll-free, shared-cost and other service numbers cannot be used. Enter your own phone number."
    )]
    NotPersonal,
    #[error("This is a landline number. Add it as an office or alternate phone, which take calls.")]
    NotMobile,
    #[error("Extensions cannot be dialled automatically. Enter a direct number.")]
    Extension,
}

impl PhoneNumber {
    /// Parses what a person typed; `region` (ISO alpha-2) applies to numbers written
    /// without a `+` country code.
    pub fn parse(region: &str, raw: &str) -> Result<Self, PhoneNumberError> {
        let typed = raw.trim();
        if typed.is_empty() {
            return Err(PhoneNumberError::Empty);
        }
        if typed.len() > 40 || typed.chars().any(char::is_control) {
            return Err(PhoneNumberError::Invalid);
        }
        let region_id: Option<phonenumber::country::Id> =
            match region.trim().to_ascii_uppercase().as_str() {
                "" => None,
                code => Some(code.parse().map_err(|_| PhoneNumberError::UnknownCountry)?),
            };
        if region_id.is_none() && !typed.starts_with('+') {
            return Err(PhoneNumberError::UnknownCountry);
        }
        let number = phonenumber::parse(region_id, typed).map_err(|_| PhoneNumberError::Invalid)?;
        if number.extension().is_some() {
            return Err(PhoneNumberError::Extension);
        }
        if !phonenumber::is_valid(&number) {
            return Err(PhoneNumberError::Invalid);
        }
        let mobile = match number.number_type(&phonenumber::metadata::DATABASE) {
            Type::Mobile | Type::FixedLineOrMobile => true,
            Type::FixedLine | Type::Voip => false,
            _ => return Err(PhoneNumberError::NotPersonal),
        };
        let region = number
            .country()
            .id()
            .map(|id| id.as_ref().to_owned())
            .ok_or(PhoneNumberError::Invalid)?;
        Ok(Self {
            e164: number.format().mode(Mode::E164).to_string(),
            international: number.format().mode(Mode::International).to_string(),
            region,
            mobile,
        })
    }

    /// Refuses a landline as a mobile phone: text messages would never arrive.
    pub fn check_type(&self, phone_type: PhoneType) -> Result<(), PhoneNumberError> {
        if phone_type.takes_sms() && !self.mobile {
            return Err(PhoneNumberError::NotMobile);
        }
        Ok(())
    }

    pub fn e164(&self) -> &str {
        &self.e164
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn international(&self) -> &str {
        &self.international
    }

    /// For pages shown before the second step: only the country code and the last
    /// two digits, `+31 •••••••78`.
    pub fn masked(&self) -> String {
        mask_e164(&self.e164, &self.international)
    }
}

/// `+31 6 12345678` → `+31 ••••••• 78`.
pub fn mask_e164(e164: &str, international: &str) -> String {
    let country = international.split(' ').next().unwrap_or("+");
    let digits: Vec<char> = e164.chars().filter(char::is_ascii_digit).collect();
    let country_digits = country.chars().filter(char::is_ascii_digit).count();
    let national = digits.len().saturating_sub(country_digits);
    let hidden = national.saturating_sub(2);
    let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
    format!("{country} {} {tail}", "\u{2022}".repeat(hidden))
}

/// Every region the metadata knows: (alpha-2, name, calling code), by name.
pub fn regions() -> Vec<(String, String, u16)> {
    let mut all: Vec<(String, String, u16)> = phonenumber::metadata::DATABASE
        .iter()
        .filter_map(|meta| {
            let name = isocountry::CountryCode::for_alpha2(meta.id()).ok()?.name();
            Some((meta.id().to_owned(), name.to_owned(), meta.country_code()))
        })
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1));
    all.dedup_by(|a, b| a.0 == b.0);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(region: &str, raw: &str) -> PhoneNumber {
        PhoneNumber::parse(region, raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"))
    }

    #[test]
    fn common_ways_of_writing_a_dutch_mobile_number_give_one_e164() {
        for raw in [
            "0612 345 678",
            "06-12345678",
            "06 12 34 56 78",
            "+31 6 12345678",
            "+31 (0)6 1234 5678",
            "0031612345678",
            "(06) 123 456 78",
        ] {
            let number = parsed("NL", raw);
            assert_eq!(number.e164(), "+31612345678", "{raw}");
            assert_eq!(number.region(), "NL");
        }
        assert_eq!(parsed("NL", "0612345678").international(), "+31 6 12345678");
    }

    #[test]
    fn numbers_from_several_countries_parse_with_their_own_region() {
        let cases = [
            ("GB", "07400 123456", "+447400123456", "GB"),
            ("DE", "01512 3456789", "+4915123456789", "DE"),
            ("US", "(201) 555-0123", "+12015550123", "US"),
            ("FR", "06 12 34 56 78", "+33612345678", "FR"),
            ("BE", "0470 12 34 56", "+32470123456", "BE"),
            ("IN", "098765 43210", "+919876543210", "IN"),
            ("JP", "090-1234-5678", "+819012345678", "JP"),
            ("AU", "0412 345 678", "+61412345678", "AU"),
            // A + number ignores the chosen country.
            ("NL", "+44 7400 123456", "+447400123456", "GB"),
            ("", "+49 1512 3456789", "+4915123456789", "DE"),
        ];
        for (region, raw, e164, found) in cases {
            let number = parsed(region, raw);
            assert_eq!(number.e164(), e164, "{region} {raw}");
            assert_eq!(number.region(), found, "{region} {raw}");
        }
    }

    #[test]
    fn invalid_input_is_refused_with_a_reason() {
        assert_eq!(PhoneNumber::parse("NL", "  "), Err(PhoneNumberError::Empty));
        assert_eq!(
            PhoneNumber::parse("NL", "12"),
            Err(PhoneNumberError::Invalid)
        );
        assert_eq!(
            PhoneNumber::parse("NL", "06 1234"),
            Err(PhoneNumberError::Invalid)
        );
        assert_eq!(
            PhoneNumber::parse("NL", "call me maybe"),
            Err(PhoneNumberError::Invalid)
        );
        assert_eq!(
            PhoneNumber::parse("ZZ", "0612345678"),
            Err(PhoneNumberError::UnknownCountry)
        );
        assert_eq!(
            PhoneNumber::parse("", "0612345678"),
            Err(PhoneNumberError::UnknownCountry)
        );
        assert_eq!(
            PhoneNumber::parse("NL", "0612345678\n"),
            Ok(parsed("NL", "0612345678"))
        );
        assert_eq!(
            PhoneNumber::parse("NL", "06123\u{0}45678"),
            Err(PhoneNumberError::Invalid)
        );
    }

    #[test]
    fn premium_rate_toll_free_and_shared_cost_numbers_are_refused() {
        for (region, raw) in [
            ("NL", "0900 1234567"), // premium rate
            ("NL", "0800 1234567"), // toll free
            ("GB", "09065 123456"), // premium rate
            ("US", "1-900-555-0123"),
            ("US", "1-800-555-0199"), // toll free
            ("DE", "0180 1234567"),   // shared cost
        ] {
            assert_eq!(
                PhoneNumber::parse(region, raw),
                Err(PhoneNumberError::NotPersonal),
                "{region} {raw}"
            );
        }
    }

    #[test]
    fn a_landline_cannot_be_a_mobile_phone_but_can_be_an_office_phone() {
        let landline = parsed("NL", "020 123 4567");
        assert_eq!(landline.e164(), "+31201234567");
        assert_eq!(
            landline.check_type(PhoneType::Mobile),
            Err(PhoneNumberError::NotMobile)
        );
        assert_eq!(landline.check_type(PhoneType::Office), Ok(()));
        // In the US a number does not tell mobile from landline: SMS is allowed.
        assert_eq!(
            parsed("US", "201 555 0123").check_type(PhoneType::Mobile),
            Ok(())
        );
    }

    #[test]
    fn extensions_are_refused() {
        assert_eq!(
            PhoneNumber::parse("NL", "020 123 4567 ext. 12"),
            Err(PhoneNumberError::Extension)
        );
    }

    #[test]
    fn masking_keeps_only_the_country_code_and_the_last_two_digits() {
        let number = parsed("NL", "0612345678");
        assert_eq!(
            number.masked(),
            "+31 \u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022} 78"
        );
        assert!(!number.masked().contains("612"));
    }

    #[test]
    fn the_region_list_has_names_and_calling_codes() {
        let all = regions();
        assert!(all.len() > 200, "{}", all.len());
        assert!(all.contains(&("NL".to_owned(), "Netherlands".to_owned(), 31)));
        assert!(all.iter().any(|(id, _, code)| id == "US" && *code == 1));
    }
}
