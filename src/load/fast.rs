//! A quick way to deserialize a record from its outline, without lexing its text a second time.
//!
//! It accepts only the plain forms that `ron` (with the options of [`super::raw::options`])
//! reads the same way: strings in `"..."` without escapes or control characters, unsigned
//! numbers written as plain digits, lists, `Name(field: value, ...)` records whose name is the
//! struct's, unit variants written as bare names, and implicit `Some`. Anything else, and every
//! problem, gives up ([`Fallback`]) so that the caller deserializes with `ron`, which then gives
//! the same value or the same diagnostic as ever. So this path can only be quicker, never
//! different: what it accepts, `ron` accepts with the same value.

use serde::de::{self, DeserializeSeed, Visitor};
use serde::forward_to_deserialize_any;

use super::outline::{Body, Entry, Node};

/// The quick path gave up: deserialize with `ron` instead.
#[derive(Debug)]
pub struct Fallback;

impl std::fmt::Display for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a plain value")
    }
}

impl std::error::Error for Fallback {}

impl de::Error for Fallback {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Fallback
    }
}

/// Deserializes the record at `node` of `text` (a `Name(...)` value), or gives up.
pub fn record<T: de::DeserializeOwned>(text: &str, node: &Node) -> Result<T, Fallback> {
    T::deserialize(Value {
        text,
        node,
        variant_body: false,
    })
}

/// A value of the outline.
#[derive(Clone, Copy)]
struct Value<'a> {
    text: &'a str,
    node: &'a Node,
    /// The `( ... )` of a newtype variant, written without the inner struct's name.
    variant_body: bool,
}

impl<'a> Value<'a> {
    fn slice(&self) -> &'a str {
        self.text.get(self.node.span.range()).unwrap_or("")
    }

    fn name(&self) -> Option<&'a str> {
        self.node.name.and_then(|n| self.text.get(n.range()))
    }
}

/// A plain identifier (not `r#...`).
fn ident(s: &str) -> Result<&str, Fallback> {
    if s.is_empty() || s.starts_with("r#") {
        Err(Fallback)
    } else {
        Ok(s)
    }
}

impl<'de> de::Deserializer<'de> for Value<'de> {
    type Error = Fallback;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Fallback> {
        Err(Fallback)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fallback> {
        let s = self.slice();
        let plain = matches!(self.node.body, Body::Atom)
            && self.node.name.is_none()
            && s.len() >= 2
            && s.starts_with('"')
            && s.ends_with('"')
            // Every byte looked at, without an early way out: the compiler then checks many
            // bytes at once.
            && s.bytes()
                .fold(true, |ok, b| ok & (b != b'\\') & (b >= 0x20) & (b != 0x7f));
        if !plain {
            return Err(Fallback);
        }
        visitor.visit_borrowed_str(&s[1..s.len() - 1])
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fallback> {
        self.deserialize_str(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fallback> {
        let s = self.slice();
        let plain = matches!(self.node.body, Body::Atom)
            && self.node.name.is_none()
            && (1..=9).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_digit())
            && (s == "0" || !s.starts_with('0'));
        if !plain {
            return Err(Fallback);
        }
        visitor.visit_u32(s.parse().map_err(|_| Fallback)?)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fallback> {
        if matches!(self.name(), Some("None" | "Some")) {
            return Err(Fallback);
        }
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fallback> {
        match &self.node.body {
            Body::List(items) if self.node.name.is_none() => visitor.visit_seq(Items {
                text: self.text,
                items: items.iter(),
            }),
            _ => Err(Fallback),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fallback> {
        let Body::Paren(entries) = &self.node.body else {
            return Err(Fallback);
        };
        if !self.variant_body && self.name() != Some(name) {
            return Err(Fallback);
        }
        visitor.visit_map(Fields {
            text: self.text,
            entries: entries.iter(),
            value: None,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fallback> {
        if self.variant_body {
            return Err(Fallback);
        }
        let name = ident(self.name().ok_or(Fallback)?)?;
        visitor.visit_enum(Variant { value: self, name })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct tuple tuple_struct map identifier ignored_any
    }
}

struct Items<'a> {
    text: &'a str,
    items: std::slice::Iter<'a, Node>,
}

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = Fallback;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Fallback> {
        match self.items.next() {
            Some(node) => seed
                .deserialize(Value {
                    text: self.text,
                    node,
                    variant_body: false,
                })
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Fields<'a> {
    text: &'a str,
    entries: std::slice::Iter<'a, Entry>,
    value: Option<&'a Node>,
}

impl<'de> de::MapAccess<'de> for Fields<'de> {
    type Error = Fallback;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Fallback> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        let key = entry.key.ok_or(Fallback)?;
        let key = ident(self.text.get(key.range()).ok_or(Fallback)?)?;
        self.value = Some(&entry.value);
        let de: de::value::BorrowedStrDeserializer<'de, Fallback> =
            de::value::BorrowedStrDeserializer::new(key);
        seed.deserialize(de).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Fallback> {
        let node = self.value.take().ok_or(Fallback)?;
        seed.deserialize(Value {
            text: self.text,
            node,
            variant_body: false,
        })
    }
}

struct Variant<'a> {
    value: Value<'a>,
    name: &'a str,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
    type Error = Fallback;
    type Variant = Value<'de>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Value<'de>), Fallback> {
        let de: de::value::BorrowedStrDeserializer<'de, Fallback> =
            de::value::BorrowedStrDeserializer::new(self.name);
        Ok((seed.deserialize(de)?, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for Value<'de> {
    type Error = Fallback;

    fn unit_variant(self) -> Result<(), Fallback> {
        match self.node.body {
            Body::Atom => Ok(()),
            _ => Err(Fallback),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Fallback> {
        if !matches!(self.node.body, Body::Paren(_)) {
            return Err(Fallback);
        }
        seed.deserialize(Value {
            variant_body: true,
            ..self
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Fallback> {
        Err(Fallback)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Fallback> {
        Err(Fallback)
    }
}

#[cfg(test)]
mod tests {
    use super::super::raw::{RawRecord, options};
    use super::super::{lex, outline};
    use super::*;

    /// The quick path's value, `ron`'s value, each as debug text (None where it gave up).
    fn both(s: &str) -> (Option<String>, Option<String>) {
        let node = outline::parse(s, &lex::tokenize(s).expect("tokens"))
            .expect("outline")
            .expect("value");
        let quick = record::<RawRecord>(s, &node).ok().map(|r| format!("{r:?}"));
        let slow = options()
            .from_str::<RawRecord>(s)
            .ok()
            .map(|r| format!("{r:?}"));
        (quick, slow)
    }

    #[test]
    fn plain_records_read_as_ron_reads_them() {
        for s in [
            r#"State(id: "BLR", name: "Belarus", aliases: ["Белару́сь"], cow: 370, from: "1991-08-25")"#,
            r#"Sanction(id: "s", by: "EU", against: ["RUS", "BLR",], measures: [AssetFreeze], from: "2014", sources: [Source(title: "t", url: "u")])"#,
            r#"Treaty(id: "t", name: "T", kind: Defense, parties: [Party(state: "A", disputed: [Reading(from: "2001", sources: [])])], /* c */ sources: [])"#,
        ] {
            let (quick, slow) = both(s);
            assert!(quick.is_some(), "{s}");
            assert_eq!(quick, slow, "{s}");
        }
    }

    #[test]
    fn anything_unusual_is_left_to_ron() {
        for s in [
            r#"State(id: "B\"LR", name: "Belarus")"#,
            r#"State(id: r"BLR", name: "Belarus")"#,
            r#"State(id: "BLR", name: "Belarus", cow: 0x10)"#,
            r#"State(id: "BLR", name: "Belarus", note: Some("x"))"#,
            r#"State(id: "BLR", name: "Belarus", note: None)"#,
            r#"State(id: "BLR", name: "Belarus", id: "x")"#,
            r#"State(id: "BLR", nam: "Belarus")"#,
            r#"Sanction(id: "s", by: "EU", against: [], measures: [], from: "2014", sources: [Src(title: "t", url: "u")])"#,
            r#"Sanction(id: "s", by: "EU", against: [], measures: [], from: "2014", sources: [(title: "t", url: "u")])"#,
            r#"Nation(id: "BLR", name: "Belarus")"#,
        ] {
            let (quick, slow) = both(s);
            assert!(quick.is_none(), "{s}");
            let _ = slow;
        }
    }
}
