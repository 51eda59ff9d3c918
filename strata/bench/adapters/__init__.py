"""One adapter per benchmarked protocol, all implementing ``base.LendingAdapter``."""
