"""Policy rules as data: rule sets (YAML with clauses) and their resolution for a project."""

from greenscen.rules.ruleset import (  # noqa: F401
    ResolvedRule,
    ResolvedRules,
    RuleSet,
    available_rule_sets,
    load_rule_set,
    resolve_rules,
)
