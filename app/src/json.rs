//! Reading the API's JSON: the browser's `JSON.parse`, then serde walks the JS value.
//!
//! Why not serde_json: its parser and its error messages (which format floats, characters and
//! "invalid type: …, expected …") weighed tens of kilobytes of the public first load. Here a
//! failure is one unit error, so none of that formatting is reachable; a page only needs to
//! know that an answer could not be read.

use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// Decodes JSON text into `T`; `None` when it is not JSON or not a `T`.
pub fn decode<T: DeserializeOwned>(text: &str) -> Option<T> {
    T::deserialize(Value(js_sys::JSON::parse(text).ok()?)).ok()
}

#[derive(Debug)]
pub struct Invalid;

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid JSON")
    }
}

impl std::error::Error for Invalid {}

// Every constructor overridden: serde's defaults build a formatted message first.
impl de::Error for Invalid {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Invalid
    }
    fn invalid_type(_: de::Unexpected, _: &dyn de::Expected) -> Self {
        Invalid
    }
    fn invalid_value(_: de::Unexpected, _: &dyn de::Expected) -> Self {
        Invalid
    }
    fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
        Invalid
    }
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        Invalid
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        Invalid
    }
    fn missing_field(_: &'static str) -> Self {
        Invalid
    }
    fn duplicate_field(_: &'static str) -> Self {
        Invalid
    }
}

struct Value(JsValue);

/// JS numbers are integers up to 2^53 exactly; beyond that, or with a fraction, a float.
const SAFE: f64 = 9_007_199_254_740_992.0;

impl<'de> de::Deserializer<'de> for Value {
    type Error = Invalid;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Invalid> {
        let x = self.0;
        if x.is_null() || x.is_undefined() {
            v.visit_unit()
        } else if let Some(b) = x.as_bool() {
            v.visit_bool(b)
        } else if let Some(n) = x.as_f64() {
            match n {
                n if n.fract() != 0.0 || n.abs() >= SAFE => v.visit_f64(n),
                n if n < 0.0 => v.visit_i64(n as i64),
                n => v.visit_u64(n as u64),
            }
        } else if let Some(s) = x.as_string() {
            v.visit_string(s)
        } else if Array::is_array(&x) {
            let items: Array = x.unchecked_into();
            v.visit_seq(Seq { items, next: 0 })
        } else if x.is_object() {
            let keys = Object::keys(x.unchecked_ref::<Object>());
            v.visit_map(Map { object: x, keys, next: 0, value: None })
        } else {
            Err(Invalid)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Invalid> {
        if self.0.is_null() || self.0.is_undefined() { v.visit_none() } else { v.visit_some(self) }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, Invalid> {
        v.visit_newtype_struct(self)
    }

    /// Externally tagged, as serde writes them: `"unit"` or `{ "variant": content }`.
    fn deserialize_enum<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], v: V) -> Result<V::Value, Invalid> {
        if let Some(name) = self.0.as_string() {
            return v.visit_enum(IntoDeserializer::<Invalid>::into_deserializer(name));
        }
        let keys = Object::keys(self.0.dyn_ref::<Object>().ok_or(Invalid)?);
        if keys.length() != 1 {
            return Err(Invalid);
        }
        let key = keys.get(0);
        let content = Reflect::get(&self.0, &key).map_err(|_| Invalid)?;
        v.visit_enum(Variant { name: key.as_string().ok_or(Invalid)?, content })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Seq {
    items: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = Invalid;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Invalid> {
        if self.next >= self.items.length() {
            return Ok(None);
        }
        self.next += 1;
        seed.deserialize(Value(self.items.get(self.next - 1))).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.items.length() - self.next) as usize)
    }
}

struct Map {
    object: JsValue,
    keys: Array,
    next: u32,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Map {
    type Error = Invalid;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Invalid> {
        if self.next >= self.keys.length() {
            return Ok(None);
        }
        let key = self.keys.get(self.next);
        self.next += 1;
        self.value = Some(Reflect::get(&self.object, &key).map_err(|_| Invalid)?);
        let name = key.as_string().ok_or(Invalid)?;
        seed.deserialize(IntoDeserializer::<Invalid>::into_deserializer(name)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Invalid> {
        seed.deserialize(Value(self.value.take().ok_or(Invalid)?))
    }
}

struct Variant {
    name: String,
    content: JsValue,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Invalid;
    type Variant = Value;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Value), Invalid> {
        let name = seed.deserialize(IntoDeserializer::<Invalid>::into_deserializer(self.name))?;
        Ok((name, Value(self.content)))
    }
}

impl<'de> de::VariantAccess<'de> for Value {
    type Error = Invalid;

    fn unit_variant(self) -> Result<(), Invalid> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Invalid> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Invalid> {
        de::Deserializer::deserialize_any(self, v)
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], v: V) -> Result<V::Value, Invalid> {
        de::Deserializer::deserialize_any(self, v)
    }
}
