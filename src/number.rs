//! Numbers as people read them: never `NaN`, `inf` or seventeen digits. The dashboard and the
//! headless printer both format through here.

/// What a value that is not a finite number is shown as.
pub const NOT_A_NUMBER: &str = "—";

/// `x` with at most `digits` significant digits, trailing zeros dropped; scientific from
/// 100,000 up and below 0.001 (`1.2e13`, `3e-5`); "—" for NaN and ±∞.
pub fn compact(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return NOT_A_NUMBER.into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let digits = digits.max(1);
    let magnitude = x.abs().log10().floor() as i32;
    if !(-3..5).contains(&magnitude) {
        let text = format!("{:.*e}", digits.saturating_sub(1).min(2), x);
        // `1.20e13` → `1.2e13`, `3.00e-5` → `3e-5`.
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        return format!("{}e{exponent}", trim_zeros(mantissa));
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let text = format!("{x:.decimals$}");
    // Rounding can carry into a new digit (9.996 → "10.00"); the zeros go either way.
    trim_zeros(&text).to_string()
}

/// `0.500` → `0.5`, `2.000` → `2`, `120` stays.
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// `x` with `decimals` decimals, or "—" when it is NaN or ±∞.
pub fn fixed(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        format!("{x:.decimals$}")
    } else {
        NOT_A_NUMBER.into()
    }
}

/// A number as the user typed or chose it: an `f32` through its shortest decimal form, so that
/// `0.07` is written `0.07`, not `0.07000000029802322`. `None` for NaN and ±∞.
pub fn as_given(x: f32) -> Option<f64> {
    if x.is_finite() {
        x.to_string().parse().ok()
    } else {
        None
    }
}

/// `as_given` for serde: `#[serde(serialize_with = "crate::number::serialize_as_given")]`.
pub fn serialize_as_given<S: serde::Serializer>(x: &f32, s: S) -> Result<S::Ok, S::Error> {
    match as_given(*x) {
        Some(v) => s.serialize_f64(v),
        None => s.serialize_none(),
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n thing` or `n things`: "1 epoch", "3 epochs".
pub fn plural(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_numbers_never_show_nan_or_long_digits() {
        assert_eq!(compact(88_274_552_475_978.83, 2), "8.8e13");
        assert_eq!(compact(1e15, 3), "1e15");
        assert_eq!(compact(f64::NAN, 3), "—");
        assert_eq!(compact(f64::INFINITY, 3), "—");
        assert_eq!(compact(f64::NEG_INFINITY, 3), "—");
        assert_eq!(compact(std::f64::consts::LN_10, 3), "2.3");
        assert_eq!(compact(std::f64::consts::LN_10, 4), "2.303");
        assert_eq!(compact(0.07, 3), "0.07");
        assert_eq!(compact(0.000_03, 2), "3e-5");
        assert_eq!(compact(12_345.0, 3), "12345");
        assert_eq!(compact(-0.5, 3), "-0.5");
        assert_eq!(compact(0.0, 3), "0");
        assert_eq!(fixed(2450.4, 0), "2450");
        assert_eq!(fixed(f64::INFINITY, 0), "—");
        for x in [1e-30, 3.3e-7, 0.123_456_789, 98_765.4, 1e38] {
            let text = compact(x, 3);
            assert!(text.len() <= 7, "{x} → {text}");
        }
    }

    #[test]
    fn numbers_as_given_and_plurals() {
        assert_eq!(as_given(0.07), Some(0.07));
        assert_eq!(as_given(0.9), Some(0.9));
        assert_eq!(as_given(f32::NAN), None);
        assert_eq!(serde_json::json!(as_given(0.07)).to_string(), "0.07");
        assert_eq!(plural(1, "epoch"), "1 epoch");
        assert_eq!(plural(3, "epoch"), "3 epochs");
    }
}
