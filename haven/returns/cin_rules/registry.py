from haven.returns.rules import Registry

CIN_2026 = Registry("CIN census 2025-26", "rules_cin_2025_26.tsv")
