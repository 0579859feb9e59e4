"""The stage's street map in Amazon Location: a map resource and a browser API key for it.

Part of the console stack: the key is restricted to the distribution's own origin (and the
stage's public names), which only exists here. The key may call the map's GetMap* actions and
nothing else; no role is granted any geo: action (``infra.publish`` reads the key's value with
the deployer's credentials and writes it into /map/config.json, which a browser reads anyway).
"""

from __future__ import annotations

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_location as location

from infra.config import StageConfig
from infra.naming import Naming

# What a MapLibre map needs from Amazon Location: the style, its tiles, sprites and glyphs.
MAP_ACTIONS = ("geo:GetMapStyleDescriptor", "geo:GetMapTile", "geo:GetMapSprites", "geo:GetMapGlyphs")


def referers(stage: StageConfig, distribution: cloudfront.Distribution) -> list[str]:
    """The pages allowed to use the key: the distribution's domain and the stage's own names."""
    names = [
        f"https://{distribution.distribution_domain_name}/*",
        f"{stage.base_url}/*",
        *(f"https://{name}/*" for name in stage.domain_names),
    ]
    return list(dict.fromkeys(names))


def add_basemap(
    stack: Stack, stage: StageConfig, naming: Naming, distribution: cloudfront.Distribution
) -> None:
    if stage.map.provider != "amazon_location":
        return
    basemap = location.CfnMap(
        stack,
        "Basemap",
        map_name=naming.name("basemap"),
        configuration=location.CfnMap.MapConfigurationProperty(style=stage.map.amazon_style),
        description=f"Phan Thiet IOC {stage.name}: the streets under the ward maps",
    )
    key = location.CfnAPIKey(
        stack,
        "BasemapKey",
        key_name=naming.name("basemap-key"),
        description="Browser key of the console and resident app: reads the basemap only",
        restrictions=location.CfnAPIKey.ApiKeyRestrictionsProperty(
            allow_actions=list(MAP_ACTIONS),
            allow_resources=[basemap.attr_arn],
            allow_referers=referers(stage, distribution),
        ),
        # A browser key is public by design: its restrictions, not its secrecy, protect it.
        no_expiry=True,
    )
    style = f"https://maps.geo.{stage.region}.amazonaws.com/maps/v0/maps/{basemap.map_name}/style-descriptor"
    CfnOutput(stack, "MapStyleUrl", value=style)
    CfnOutput(stack, "MapKeyName", value=key.key_name)
