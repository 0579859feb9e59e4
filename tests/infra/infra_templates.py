"""Reading a synthesised CDK assembly: stages, templates, rendered values, cross-stack imports."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the CDK app (infra/) is not an installed package
    sys.path.insert(0, str(ROOT))

from infra.config import StageConfig, known_stages, load_stage  # noqa: E402

OFFLINE = {
    "AWS_DEFAULT_REGION": "ap-southeast-1",
    "AWS_ACCESS_KEY_ID": "offline",
    "AWS_SECRET_ACCESS_KEY": "offline",
    "AWS_EC2_METADATA_DISABLED": "true",
    "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1",
    "CDK_DISABLE_CLI_TELEMETRY": "true",
}
STAGES = known_stages()


@dataclass
class Stage:
    """One stage's stacks: ``templates["data"]`` is ioc-<stage>-data's template."""

    config: StageConfig
    templates: dict[str, dict[str, Any]]
    exports: dict[str, Any] = field(default_factory=dict)

    def name(self, logical: str) -> str:
        """A physical name as ``render`` prints it: ``ioc-dev-{account}-reports``."""
        return f"{self.config.resource_prefix}-{logical}"

    def resources(self, kind: str, part: str | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(stack part, logical id, resource) of every resource of a type."""
        for stack, template in self.templates.items():
            if part in (None, stack):
                for logical, resource in template["Resources"].items():
                    if resource["Type"] == kind:
                        yield stack, logical, resource

    def props(self, kind: str, part: str | None = None) -> list[dict[str, Any]]:
        return [r.get("Properties", {}) for _, _, r in self.resources(kind, part)]

    def resource(self, part: str, logical: str) -> dict[str, Any]:
        return self.templates[part]["Resources"][logical]

    def functions(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """The system's functions by physical name: (stack part, properties). CDK's deploy-time
        custom-resource handlers (unnamed, "AWS CloudFormation handler for ...") are not among them."""
        found = {}
        for kind in ("AWS::Lambda::Function", "AWS::Serverless::Function"):
            for part, logical, resource in self.resources(kind):
                props = resource["Properties"]
                if "FunctionName" not in props:
                    assert props["Description"].startswith("AWS CloudFormation handler for"), logical
                    continue
                found[str(self.render(props["FunctionName"]))] = (part, props)
        return found

    def render(self, value: Any, part: str = "") -> Any:
        """A value as text where CloudFormation would compute it: pseudo parameters as
        ``{account}``, references as ``<Logical>``, imports followed into the exporting stack."""
        if isinstance(value, list):
            return [self.render(v, part) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) != 1:
            return {k: self.render(v, part) for k, v in value.items()}
        ((fn, arg),) = value.items()
        if fn == "Ref":
            return {"AWS::AccountId": "{account}", "AWS::Partition": "aws", "AWS::Region": "{region}",
                    "AWS::URLSuffix": "amazonaws.com"}.get(arg, f"<{arg}>")  # fmt: skip
        if fn == "Fn::Join":
            return arg[0].join(str(self.render(v, part)) for v in arg[1])
        if fn == "Fn::GetAtt":
            return f"<{arg[0]}.{arg[1]}>"
        if fn == "Fn::ImportValue":
            stack, value = self.exports[arg]
            return self.render(value, stack)
        return {fn: self.render(arg, part)}

    def logical_of(self, value: Any) -> str:
        """The logical id a Ref/GetAtt (or an import of one) points at."""
        text = self.render(value)
        assert isinstance(text, str) and text.startswith("<"), text
        return text.strip("<>").split(".")[0]

    def find(self, kind: str, **expected: Any) -> tuple[str, str, dict[str, Any]]:
        """The one resource of ``kind`` whose rendered properties include ``expected``."""
        found = [
            (part, logical, resource)
            for part, logical, resource in self.resources(kind)
            if all(self.render(resource.get("Properties", {}).get(k)) == v for k, v in expected.items())
        ]
        assert len(found) == 1, f"{len(found)} {kind} with {expected}"
        return found[0]


@dataclass
class Assembly:
    directory: Path

    def stage(self, name: str) -> Stage:
        manifest = json.loads((self.directory / "manifest.json").read_text())
        prefix = f"ioc-{name}-"
        templates = {}
        for artifact_id, artifact in manifest["artifacts"].items():
            if artifact["type"] != "aws:cloudformation:stack":
                continue
            stack_name = artifact["properties"].get("stackName", artifact_id)
            if stack_name.startswith(prefix):
                template_file = self.directory / artifact["properties"]["templateFile"]
                templates[stack_name.removeprefix(prefix)] = json.loads(template_file.read_text())
        stage = Stage(load_stage(name), templates)
        for part, template in templates.items():
            for output in template.get("Outputs", {}).values():
                if "Export" in output:
                    stage.exports[output["Export"]["Name"]] = (part, output["Value"])
        return stage

    def validation_report(self) -> dict[str, Any]:
        return json.loads((self.directory / "validation-report.json").read_text())
