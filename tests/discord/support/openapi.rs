//! Validates what the bot sends against Discord's own OpenAPI description
//! (`tests/fixtures/discord-openapi.json`, copied from discord/discord-api-spec).
//!
//! A small JSON Schema subset, enough for that document: `$ref`, `type` (one or a list),
//! `const`, `enum`, `properties`, `required`, `additionalProperties`, `items`, `oneOf`,
//! `anyOf`, `allOf`, string lengths, array sizes, numeric bounds, `maxProperties`.
//! `format` is not checked (except that a snowflake may be an integer, see `check`).

use std::sync::OnceLock;

use serde_json::Value;

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = include_str!("../../fixtures/discord-openapi.json");
        serde_json::from_str(text).expect("the OpenAPI fixture is JSON")
    })
}

/// The JSON request-body schema of an operation, e.g. ("/channels/{channel_id}/messages", "post").
pub fn request_schema(path: &str, method: &str) -> &'static Value {
    &spec()["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
}

/// Every way `value` breaks `schema`, as "where: what" lines; empty when valid.
pub fn violations(value: &Value, schema: &Value) -> Vec<String> {
    let mut found = Vec::new();
    check(value, schema, "$", &mut found, 0);
    found
}

fn resolve(schema: &Value) -> &Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(&spec()["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn type_matches(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        // JSON Schema counts 1.0 as an integer: only the value matters, not how it is written.
        "integer" => {
            value.is_i64()
                || value.is_u64()
                || value.as_f64().is_some_and(|number| number.fract() == 0.0)
        }
        "number" => value.is_number(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

fn check(value: &Value, schema: &Value, at: &str, found: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    let schema = resolve(schema);
    // A snowflake is written as a string, but the API also takes a plain integer: Discord's
    // own file-upload example gives a new attachment the placeholder `"id": 0`, and serenity
    // sends it that way. Nothing else about the description is relaxed.
    if schema.get("format").and_then(Value::as_str) == Some("snowflake") && value.is_u64() {
        return;
    }
    if let Some(types) = schema.get("type") {
        let names: Vec<&str> = match types {
            Value::String(name) => vec![name.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !names.is_empty() && !names.iter().any(|name| type_matches(value, name)) {
            found.push(format!("{at}: expected {names:?}, got {value}"));
            return;
        }
    }
    if let Some(expected) = schema.get("const") {
        if expected != value {
            found.push(format!("{at}: expected {expected}, got {value}"));
        }
    }
    if let Some(Value::Array(options)) = schema.get("enum") {
        if !options.contains(value) {
            found.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    for (keyword, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(Value::Array(options)) = schema.get(keyword) {
            let outcomes: Vec<Vec<String>> = options
                .iter()
                .map(|option| {
                    let mut inner = Vec::new();
                    check(value, option, at, &mut inner, depth + 1);
                    inner
                })
                .collect();
            let matching = outcomes.iter().filter(|inner| inner.is_empty()).count();
            let ok = if exactly_one {
                matching == 1
            } else {
                matching >= 1
            };
            if !ok {
                // The nearest miss says most about what is wrong.
                let nearest = outcomes
                    .iter()
                    .min_by_key(|inner| inner.len())
                    .cloned()
                    .unwrap_or_default();
                found.push(format!(
                    "{at}: matches {matching} of the {keyword} alternatives; nearest: {nearest:?}"
                ));
            }
        }
    }
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        for part in parts {
            check(value, part, at, found, depth + 1);
        }
    }
    match value {
        Value::String(text) => {
            let length = text.chars().count() as u64;
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                if length > max {
                    found.push(format!("{at}: {length} characters, at most {max}"));
                }
            }
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
                if length < min {
                    found.push(format!("{at}: {length} characters, at least {min}"));
                }
            }
        }
        Value::Number(number) => {
            let number = number.as_f64().unwrap_or(0.0);
            if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
                if number > max {
                    found.push(format!("{at}: {number} above {max}"));
                }
            }
            if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
                if number < min {
                    found.push(format!("{at}: {number} below {min}"));
                }
            }
        }
        Value::Array(items) => {
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                if items.len() as u64 > max {
                    found.push(format!("{at}: {} items, at most {max}", items.len()));
                }
            }
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                if (items.len() as u64) < min {
                    found.push(format!("{at}: {} items, at least {min}", items.len()));
                }
            }
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    check(
                        item,
                        item_schema,
                        &format!("{at}[{index}]"),
                        found,
                        depth + 1,
                    );
                }
            }
        }
        Value::Object(fields) => {
            if let Some(max) = schema.get("maxProperties").and_then(Value::as_u64) {
                if fields.len() as u64 > max {
                    found.push(format!("{at}: {} properties, at most {max}", fields.len()));
                }
            }
            if let Some(Value::Array(required)) = schema.get("required") {
                for name in required.iter().filter_map(Value::as_str) {
                    if !fields.contains_key(name) {
                        found.push(format!("{at}: missing required {name}"));
                    }
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, field) in fields {
                match properties.and_then(|properties| properties.get(name)) {
                    Some(field_schema) => check(
                        field,
                        field_schema,
                        &format!("{at}.{name}"),
                        found,
                        depth + 1,
                    ),
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            found.push(format!("{at}: unknown property {name}"))
                        }
                        Some(extra) if extra.is_object() => {
                            check(field, extra, &format!("{at}.{name}"), found, depth + 1)
                        }
                        _ => {}
                    },
                }
            }
        }
        _ => {}
    }
}
