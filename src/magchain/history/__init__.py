"""What happened: observed series shipped in the package, and the backtests that hold the model to them."""
