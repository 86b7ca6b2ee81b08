//! Enumerations stored and sent as words. [`text_enum!`] gives each variant exactly
//! one string, used for the database column, for JSON and for form values:
//! `as_str`, `parse`, `ALL`, `Display`, `FromStr`, `TryFrom<String>`, serde as that
//! string, and on the server a TEXT column type for sqlx (`.bind(kind)`, and a row
//! field of the enum's type in a `#[derive(sqlx::FromRow)]`).

/// A word that names no variant of the enumeration it was read as.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {given:?}; expected one of {expected}")]
pub struct UnknownText {
    pub given: String,
    pub expected: &'static str,
}

#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];
            const WORDS: &'static str = concat!($($text, ", "),+);

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The variant named by `raw` (surrounding spaces ignored).
            pub fn parse(raw: &str) -> Option<Self> {
                match raw.trim() {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::text_enum::UnknownText;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw).ok_or_else(|| $crate::domain::text_enum::UnknownText {
                    given: raw.to_owned(),
                    expected: Self::WORDS.trim_end_matches(", "),
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::text_enum::UnknownText;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                raw.parse()
            }
        }

        #[cfg(feature = "ssr")]
        impl ::sqlx::Type<::sqlx::Any> for $name {
            fn type_info() -> ::sqlx::any::AnyTypeInfo {
                <String as ::sqlx::Type<::sqlx::Any>>::type_info()
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> ::sqlx::Encode<'q, ::sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <::sqlx::Any as ::sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&'q str as ::sqlx::Encode<'q, ::sqlx::Any>>::encode(self.as_str(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> ::sqlx::Decode<'r, ::sqlx::Any> for $name {
            fn decode(
                value: ::sqlx::any::AnyValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let raw = <String as ::sqlx::Decode<'r, ::sqlx::Any>>::decode(value)?;
                Ok(raw.parse::<$name>()?)
            }
        }
    };
}

// serde_json is a server-side dependency.
#[cfg(all(test, feature = "ssr"))]
mod tests {
    crate::text_enum! {
        /// Only for these tests.
        enum Colour {
            Red = "red",
            DarkBlue = "dark_blue",
        }
    }

    #[test]
    fn every_variant_has_one_word_both_ways() {
        for colour in Colour::ALL {
            assert_eq!(Colour::parse(colour.as_str()), Some(colour));
            assert_eq!(colour.to_string(), colour.as_str());
            let json = serde_json::to_string(&colour).expect("serialises");
            assert_eq!(json, format!("\"{}\"", colour.as_str()));
            let back: Colour = serde_json::from_str(&json).expect("deserialises");
            assert_eq!(back, colour);
        }
        assert_eq!(Colour::try_from(" red ".to_owned()), Ok(Colour::Red));
    }

    #[test]
    fn an_unknown_word_lists_the_known_ones() {
        let err = "green".parse::<Colour>().expect_err("not a colour");
        assert_eq!(
            err.to_string(),
            "unknown value \"green\"; expected one of red, dark_blue"
        );
        assert!(serde_json::from_str::<Colour>("\"green\"").is_err());
    }
}
