# Another team in Productshot's own account: a queue of theirs receives every image
# generated for their tenant. Applied in Productshot's account (the rule lives on its bus).

provider "aws" {
  region = var.region
}

module "catalogue_images" {
  # Outside this repository: "git::<repository URL>//infra/terraform/modules/event-subscription?ref=v<release>"
  source = "../.."

  name           = "catalogue-productshot-images"
  description    = "Every image Productshot generates for the catalogue tenant."
  event_bus_name = var.productshot_bus_name
  event_pattern = jsonencode({
    source      = ["productshot.renderer"]
    detail-type = ["ProductImageGenerated"]
    detail      = { tenant = [var.tenant] }
  })

  # No target: the module creates the queue, its DLQ and the queue policy for this rule.
  queue = {
    visibility_timeout_seconds = 120
  }
}
