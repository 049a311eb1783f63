"""Data: datasets (named fields with equal rows), their generators and the seeded mini-batches."""
