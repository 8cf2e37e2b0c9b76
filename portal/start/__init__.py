"""The start page of each role: one module per role, each reading through the apps' selectors."""
