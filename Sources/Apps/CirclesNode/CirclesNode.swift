// CirclesNode module
