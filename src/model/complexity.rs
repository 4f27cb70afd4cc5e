//! A complexity class, as `budget.toml` claims it for a capability (`complexity = "O(n)"`).

/// A complexity class a capability may claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Complexity {
    Constant,
    Log,
    Linear,
    Linearithmic,
    Quadratic,
}

impl Complexity {
    pub const ALL: [Complexity; 5] = [
        Complexity::Constant,
        Complexity::Log,
        Complexity::Linear,
        Complexity::Linearithmic,
        Complexity::Quadratic,
    ];

    /// `O(1)`, `O(log n)`, `O(n)`, `O(n log n)`, `O(n^2)` (`O(n²)` too; spaces are free).
    pub fn parse(text: &str) -> Option<Complexity> {
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let squeezed = squeezed.replace('²', "^2");
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().replace(' ', "") == squeezed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Complexity::Constant => "O(1)",
            Complexity::Log => "O(log n)",
            Complexity::Linear => "O(n)",
            Complexity::Linearithmic => "O(n log n)",
            Complexity::Quadratic => "O(n^2)",
        }
    }

    /// The log-log slope of the class at large n.
    pub fn exponent(self) -> f64 {
        match self {
            Complexity::Constant | Complexity::Log => 0.0,
            Complexity::Linear | Complexity::Linearithmic => 1.0,
            Complexity::Quadratic => 2.0,
        }
    }

    /// The class's function of n.
    pub fn f(self, n: f64) -> f64 {
        match self {
            Complexity::Constant => 1.0,
            Complexity::Log => n.ln(),
            Complexity::Linear => n,
            Complexity::Linearithmic => n * n.ln(),
            Complexity::Quadratic => n * n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Complexity as Class;

    #[test]
    fn classes_parse_as_written() {
        for (text, class) in [
            ("O(1)", Class::Constant),
            ("O(log n)", Class::Log),
            ("O(n)", Class::Linear),
            ("O(n log n)", Class::Linearithmic),
            ("O(nlogn)", Class::Linearithmic),
            ("O(n^2)", Class::Quadratic),
            ("O(n²)", Class::Quadratic),
        ] {
            assert_eq!(Class::parse(text), Some(class), "{text}");
        }
        assert_eq!(Class::parse("O(n^3)"), None);
        assert_eq!(Class::parse("linear"), None);
    }
}
