"""Staff pages of the finance app: payment runs, cost centres and payees' bank accounts."""
