"""Chapter models."""
