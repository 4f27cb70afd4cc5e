const C: char = '\
';
#[test]
fn a() {}
