import Testing

/// Accessors for the members and values a test compares: each records an issue at the caller
/// and throws (as `#require` does) when the member is absent or of another kind, so that a
/// missing or misspelt fixture key fails the test instead of reading as NaN, `""` or an empty
/// array (the lenient `double`, `string`, `array`, `doubles` and `strings` are for members
/// that may be absent).
extension JSONValue {
  /// Member `key`, which must be present (a JSON `null` that is present is returned).
  /// - Parameters:
  ///   - key: The member's name.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The member.
  /// - Throws: When `self` is not an object or has no member `key` (the issue is recorded).
  public func member(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> JSONValue
  {
    let o = try #require(
      objectMembers, "member \"\(key)\" of \(kind), not of an object",
      sourceLocation: sourceLocation)
    let keys = o.keys.sorted().joined(separator: ", ")
    return try #require(
      o[key], "missing member \"\(key)\" (members: \(keys))", sourceLocation: sourceLocation)
  }

  /// The number at `key`, which must be present and a number.
  /// - Parameters:
  ///   - key: The member's name.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The number.
  /// - Throws: When the member is absent or not a number (the issue is recorded).
  public func number(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> Double
  {
    try member(key, sourceLocation: sourceLocation).requiredNumber(
      key, sourceLocation: sourceLocation)
  }

  /// The string at `key`, which must be present and a string.
  /// - Parameters:
  ///   - key: The member's name.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The string.
  /// - Throws: When the member is absent or not a string (the issue is recorded).
  public func text(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> String
  {
    try member(key, sourceLocation: sourceLocation).requiredText(
      key, sourceLocation: sourceLocation)
  }

  /// The Boolean at `key`, which must be present and a Boolean.
  /// - Parameters:
  ///   - key: The member's name.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The Boolean.
  /// - Throws: When the member is absent or not a Boolean (the issue is recorded).
  public func flag(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> Bool
  {
    let value = try member(key, sourceLocation: sourceLocation)
    return try #require(
      value.bool as Bool?, "\"\(key)\" is \(value.kind), not a Boolean",
      sourceLocation: sourceLocation)
  }

  /// The elements at `key`, which must be present and an array (a scalar reads as one element,
  /// as R's `auto_unbox` writes length-one vectors).
  /// - Parameters:
  ///   - key: The member's name.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The elements.
  /// - Throws: When the member is absent or `null` (the issue is recorded).
  public func elements(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [JSONValue]
  {
    try member(key, sourceLocation: sourceLocation).requiredElements(
      key, sourceLocation: sourceLocation)
  }

  /// The numbers at `key`: present, and every element a number (none dropped).
  /// - Parameters:
  ///   - key: The member's name.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The numbers.
  /// - Throws: When the member is absent or an element is not a number (the issue is recorded).
  public func numbers(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [Double]
  {
    try member(key, sourceLocation: sourceLocation).requiredNumbers(
      key, sourceLocation: sourceLocation)
  }

  /// The strings at `key`: present, and every element a string (none dropped).
  /// - Parameters:
  ///   - key: The member's name.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The strings.
  /// - Throws: When the member is absent or an element is not a string (the issue is recorded).
  public func texts(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [String]
  {
    try member(key, sourceLocation: sourceLocation).requiredTexts(
      key, sourceLocation: sourceLocation)
  }

  /// The members of the object at `key`, which must be present and an object.
  /// - Parameters:
  ///   - key: The member's name.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The members.
  /// - Throws: When the member is absent or not an object (the issue is recorded).
  public func members(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [String: JSONValue]
  {
    try member(key, sourceLocation: sourceLocation).requiredMembers(
      key, sourceLocation: sourceLocation)
  }

  /// The string-valued members of the object at `key`, such as a call's `ref` (R's empty list,
  /// which jsonlite writes `[]`, reads as no members).
  /// - Parameters:
  ///   - key: The member's name.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The members' strings.
  /// - Throws: When the member is absent, not an object (or `[]`), or has a value that is not a
  ///   string (the issue is recorded).
  public func textMembers(_ key: String, sourceLocation: SourceLocation = #_sourceLocation)
    throws -> [String: String]
  {
    let value = try member(key, sourceLocation: sourceLocation)
    if value == .array([]) { return [:] }
    return try value.requiredMembers(key, sourceLocation: sourceLocation).mapValues {
      try $0.requiredText(key, sourceLocation: sourceLocation)
    }
  }

  /// This value as a number.
  /// - Parameters:
  ///   - label: What the value is, for the message.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The number.
  /// - Throws: When this is not a number (the issue is recorded).
  public func requiredNumber(
    _ label: String = "value", sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Double {
    try #require(double, "\(label) is \(kind), not a number", sourceLocation: sourceLocation)
  }

  /// This value as a string.
  /// - Parameters:
  ///   - label: What the value is, for the message.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The string.
  /// - Throws: When this is not a string (the issue is recorded).
  public func requiredText(
    _ label: String = "value", sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    try #require(string, "\(label) is \(kind), not a string", sourceLocation: sourceLocation)
  }

  /// This value's elements (a scalar reads as one element); `null` is not an array.
  /// - Parameters:
  ///   - label: What the value is, for the message.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The elements.
  /// - Throws: When this is `null` (the issue is recorded).
  public func requiredElements(
    _ label: String = "value", sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [JSONValue] {
    try #require(self != .null, "\(label) is null, not an array", sourceLocation: sourceLocation)
    return array
  }

  /// This value's elements as numbers, every one a number.
  /// - Parameters:
  ///   - label: What the value is, for the message.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The numbers.
  /// - Throws: When this is `null` or an element is not a number (the issue is recorded).
  public func requiredNumbers(
    _ label: String = "value", sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [Double] {
    try requiredElements(label, sourceLocation: sourceLocation).enumerated().map { i, element in
      try element.requiredNumber("\(label)[\(i)]", sourceLocation: sourceLocation)
    }
  }

  /// This value's elements as strings, every one a string.
  /// - Parameters:
  ///   - label: What the value is, for the message.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The strings.
  /// - Throws: When this is `null` or an element is not a string (the issue is recorded).
  public func requiredTexts(
    _ label: String = "value", sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [String] {
    try requiredElements(label, sourceLocation: sourceLocation).enumerated().map { i, element in
      try element.requiredText("\(label)[\(i)]", sourceLocation: sourceLocation)
    }
  }

  /// This value's members.
  /// - Parameters:
  ///   - label: What the value is, for the message.
  ///   - sourceLocation: Where the value is read.
  /// - Returns: The members.
  /// - Throws: When this is not an object (the issue is recorded).
  public func requiredMembers(
    _ label: String = "value", sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [String: JSONValue] {
    try #require(
      objectMembers, "\(label) is \(kind), not an object", sourceLocation: sourceLocation)
  }

  /// The members, or `nil` when this is not an object.
  private var objectMembers: [String: JSONValue]? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// What kind of value this is, for messages.
  var kind: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return "the Boolean \(b)"
    case .number(let d): return "the number \(d)"
    case .string(let s): return "the string \"\(s)\""
    case .array(let a): return "an array of \(a.count)"
    case .object(let o): return "an object of \(o.count) members"
    }
  }
}
