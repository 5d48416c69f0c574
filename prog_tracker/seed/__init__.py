"""Seed data: the demo (`prog-tracker demo`) and the scale seeder for benchmarks (`seed-scale`)."""
