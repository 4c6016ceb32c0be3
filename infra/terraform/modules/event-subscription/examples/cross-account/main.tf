# A catalogue team, in its own account, receives every image generated for its tenant
# from Productshot's bus in another account. Productshot lists this account in
# var.event_subscribers.account_ids (the bus policy).

provider "aws" {
  region = var.region
}

module "catalogue_images" {
  source = "../.."

  name           = "catalogue-productshot-images"
  description    = "Every image Productshot generates for the catalogue tenant."
  event_bus_name = var.productshot_bus_arn
  event_pattern = jsonencode({
    source      = ["productshot.renderer"]
    detail-type = ["ProductImageGenerated"]
    detail      = { tenant = [var.tenant] }
  })

  queue = {
    visibility_timeout_seconds = 120
  }
}
