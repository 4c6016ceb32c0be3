terraform {
  required_version = ">= 1.7" # the event-subscription module it calls needs 1.7

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.25"
    }
  }
}
