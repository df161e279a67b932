extension ConditionExpression {
    public func resolved(identifiers: [String], at location: SourceLocation) throws(RuleError) -> ConditionExpression { self }
}
