"""``python -m bench.finance``: the payment-run benchmark."""

from .payment_run import main

main()
