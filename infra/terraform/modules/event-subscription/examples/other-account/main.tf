# Another team in another account. Two halves, applied by two teams:
#
# 1. Productshot adds the subscription to its deployment (envs/<env>/terraform.tfvars):
#
#      event_subscriptions = {
#        catalogue = {
#          event_pattern = "{\"source\":[\"productshot.renderer\"],\"detail-type\":[\"ProductImageGenerated\"],\"detail\":{\"tenant\":[\"catalogue\"]}}"
#          target        = { event_bus_arn = "arn:aws:events:eu-west-1:444455556666:event-bus/default" }
#        }
#      }
#      event_readers = { account_ids = ["444455556666"] }   # read the images and schemas
#
#    Its rule is "<name_prefix>to-catalogue" (e.g. acme-prod-to-catalogue) and its delivery
#    role "acme-prod-to-catalogue-delivery".
#
# 2. The catalogue team applies this in its own account (444455556666): the bus policy
#    admitting that role, a rule on its bus, the queue its consumer polls, and (below) the
#    consumer's IAM policy to read the images the events point to.

provider "aws" {
  region = var.region
}

module "productshot_events" {
  # Outside this repository: "git::<repository URL>//infra/terraform/modules/event-receiver?ref=v<release>"
  source = "../../../event-receiver"

  name     = "catalogue-productshot-images"
  delivery = "bus"
  sender = {
    account_id = var.productshot_account_id
    rule_name  = var.productshot_rule_name
  }

  queue = {
    visibility_timeout_seconds = 120
  }
}

# What the consumer (its role) needs: the queue, and the images in Productshot's bucket,
# encrypted with Productshot's key (Productshot's bucket and key policies admit this
# account through event_readers; both sides must allow).
data "aws_iam_policy_document" "consumer" {
  statement {
    sid       = "ConsumeEvents"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
    resources = [module.productshot_events.queue_arn]
  }

  statement {
    sid       = "ReadProductshotImages"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.productshot_bucket}/jobs/*"]
  }

  statement {
    sid       = "DecryptProductshotImages"
    actions   = ["kms:Decrypt"]
    resources = [var.productshot_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "consumer" {
  name        = "catalogue-productshot-consumer"
  description = "Consume Productshot's events and read the images they point to."
  policy      = data.aws_iam_policy_document.consumer.json
}
