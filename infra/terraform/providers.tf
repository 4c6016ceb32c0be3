provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}

locals {
  # Every resource's tags (provider default_tags), and what the sweeper's schedule hands to
  # the tasks it starts (the scheduler does not apply default_tags to those).
  tags = merge({ Application = "productshot" }, var.tags)
}
