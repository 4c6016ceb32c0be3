provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge({ Application = "productshot" }, var.tags)
  }
}
