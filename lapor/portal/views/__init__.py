"""The citizen pages. Each module holds one page or one group of related pages."""
