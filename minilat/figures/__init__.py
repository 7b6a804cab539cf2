"""Chart builders for the book: each takes tidy data and returns an Altair chart with a title,
labelled axes with units and a text description (required on the site, see `minilat.charts`)."""
