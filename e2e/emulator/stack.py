"""Terraform JSON approximating what the library emits for the production stack.

build(variant) returns a dict to dump as main.tf.json. Variants:
  "nat":       2 NAT gateways, service launch_type FARGATE, inline execution
               role policy.
  "endpoints": no NAT, interface endpoints ecr.api / ecr.dkr / logs + S3
               gateway endpoint, service capacity_provider_strategy
               FARGATE_SPOT, AmazonECSTaskExecutionRolePolicy attached,
               KMS key encrypting a second log group.
"""

import json

REGION = "us-east-1"
AZS = "data.aws_availability_zones.available.names"
ACCOUNT = "${data.aws_caller_identity.current.account_id}"
PARTITION = "${data.aws_partition.current.partition}"

# The container definition exactly as the library should emit it (the form
# that gives no diff on the second plan, see README.md / the report).
def container_definitions(log_group_ref="${aws_cloudwatch_log_group.app.name}",
                          image="nginx:latest"):
    return json.dumps(
        [
            {
                "name": "my-service",
                "image": image,
                "essential": True,
                "readonlyRootFilesystem": True,
                "portMappings": [
                    {"containerPort": 80, "hostPort": 80, "protocol": "tcp"}
                ],
                "environment": [],
                "stopTimeout": 30,
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": log_group_ref,
                        "awslogs-region": REGION,
                        "awslogs-stream-prefix": "my-service",
                    },
                },
            }
        ],
        separators=(",", ":"),
    )


def trust_policy():
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": ACCOUNT},
                        "ArnLike": {
                            "aws:SourceArn": f"arn:{PARTITION}:ecs:{REGION}:{ACCOUNT}:*"
                        },
                    },
                }
            ],
        }
    )


def build(variant="nat", container_defs=None, updated=False):
    """updated=True: the second revision a user would apply (new image, other
    deployment settings, ECS Exec, bigger scaling range) to exercise the
    UpdateService / new task definition revision path."""
    assert variant in ("nat", "endpoints")
    nat = variant == "nat"
    R = {}  # resource type -> name -> body

    def res(rtype, name, body):
        R.setdefault(rtype, {})[name] = body

    # ---- network ----
    res("aws_vpc", "main", {
        "cidr_block": "10.0.0.0/16",
        "enable_dns_support": True,
        "enable_dns_hostnames": True,
        "tags": {"Name": "production-vpc"},
    })
    res("aws_internet_gateway", "main", {"vpc_id": "${aws_vpc.main.id}"})
    for i, cidr in enumerate(["10.0.0.0/20", "10.0.16.0/20"]):
        res("aws_subnet", f"public_{i}", {
            "vpc_id": "${aws_vpc.main.id}",
            "cidr_block": cidr,
            "availability_zone": f"${{element({AZS}, {i})}}",
            "map_public_ip_on_launch": False,
            "tags": {"Name": f"production-public-{i}"},
        })
    for i, cidr in enumerate(["10.0.128.0/20", "10.0.144.0/20"]):
        res("aws_subnet", f"private_{i}", {
            "vpc_id": "${aws_vpc.main.id}",
            "cidr_block": cidr,
            "availability_zone": f"${{element({AZS}, {i})}}",
            "map_public_ip_on_launch": False,
            "tags": {"Name": f"production-private-{i}"},
        })
    res("aws_route_table", "public", {"vpc_id": "${aws_vpc.main.id}"})
    res("aws_route", "public_default", {
        "route_table_id": "${aws_route_table.public.id}",
        "destination_cidr_block": "0.0.0.0/0",
        "gateway_id": "${aws_internet_gateway.main.id}",
    })
    for i in range(2):
        res("aws_route_table_association", f"public_{i}", {
            "subnet_id": f"${{aws_subnet.public_{i}.id}}",
            "route_table_id": "${aws_route_table.public.id}",
        })
        res("aws_route_table", f"private_{i}", {"vpc_id": "${aws_vpc.main.id}"})
        res("aws_route_table_association", f"private_{i}", {
            "subnet_id": f"${{aws_subnet.private_{i}.id}}",
            "route_table_id": f"${{aws_route_table.private_{i}.id}}",
        })
        if nat:
            res("aws_eip", f"nat_{i}", {"domain": "vpc", "depends_on": ["aws_internet_gateway.main"]})
            res("aws_nat_gateway", f"nat_{i}", {
                "allocation_id": f"${{aws_eip.nat_{i}.id}}",
                "subnet_id": f"${{aws_subnet.public_{i}.id}}",
                "depends_on": ["aws_internet_gateway.main"],
            })
            res("aws_route", f"private_{i}_default", {
                "route_table_id": f"${{aws_route_table.private_{i}.id}}",
                "destination_cidr_block": "0.0.0.0/0",
                "nat_gateway_id": f"${{aws_nat_gateway.nat_{i}.id}}",
            })
    private_subnets = ["${aws_subnet.private_0.id}", "${aws_subnet.private_1.id}"]
    public_subnets = ["${aws_subnet.public_0.id}", "${aws_subnet.public_1.id}"]

    if not nat:
        res("aws_security_group", "endpoints", {
            "name": "production-endpoints",
            "description": "VPC interface endpoints",
            "vpc_id": "${aws_vpc.main.id}",
        })
        res("aws_vpc_security_group_ingress_rule", "endpoints_https", {
            "security_group_id": "${aws_security_group.endpoints.id}",
            "description": "HTTPS from the VPC",
            "ip_protocol": "tcp",
            "from_port": 443,
            "to_port": 443,
            "cidr_ipv4": "${aws_vpc.main.cidr_block}",
        })
        for name, svc in [("ecr_api", "ecr.api"), ("ecr_dkr", "ecr.dkr"), ("logs", "logs")]:
            res("aws_vpc_endpoint", name, {
                "vpc_id": "${aws_vpc.main.id}",
                "service_name": f"com.amazonaws.{REGION}.{svc}",
                "vpc_endpoint_type": "Interface",
                "private_dns_enabled": True,
                "subnet_ids": private_subnets,
                "security_group_ids": ["${aws_security_group.endpoints.id}"],
            })
        res("aws_vpc_endpoint", "s3", {
            "vpc_id": "${aws_vpc.main.id}",
            "service_name": f"com.amazonaws.{REGION}.s3",
            "vpc_endpoint_type": "Gateway",
            "route_table_ids": ["${aws_route_table.private_0.id}", "${aws_route_table.private_1.id}"],
        })

    # ---- security groups ----
    res("aws_security_group", "alb", {
        "name": "my-service-alb",
        "description": "ALB for my-service",
        "vpc_id": "${aws_vpc.main.id}",
    })
    res("aws_security_group", "tasks", {
        "name": "my-service-tasks",
        "description": "Tasks of my-service",
        "vpc_id": "${aws_vpc.main.id}",
    })
    res("aws_vpc_security_group_ingress_rule", "alb_http", {
        "security_group_id": "${aws_security_group.alb.id}",
        "description": "HTTP from the internet",
        "ip_protocol": "tcp",
        "from_port": 80,
        "to_port": 80,
        "cidr_ipv4": "0.0.0.0/0",
    })
    res("aws_vpc_security_group_egress_rule", "alb_to_tasks", {
        "security_group_id": "${aws_security_group.alb.id}",
        "description": "To the tasks",
        "ip_protocol": "tcp",
        "from_port": 80,
        "to_port": 80,
        "referenced_security_group_id": "${aws_security_group.tasks.id}",
    })
    res("aws_vpc_security_group_ingress_rule", "tasks_from_alb", {
        "security_group_id": "${aws_security_group.tasks.id}",
        "description": "From the ALB",
        "ip_protocol": "tcp",
        "from_port": 80,
        "to_port": 80,
        "referenced_security_group_id": "${aws_security_group.alb.id}",
    })
    res("aws_vpc_security_group_egress_rule", "tasks_https", {
        "security_group_id": "${aws_security_group.tasks.id}",
        "description": "HTTPS out",
        "ip_protocol": "tcp",
        "from_port": 443,
        "to_port": 443,
        "cidr_ipv4": "0.0.0.0/0",
    })

    # ---- load balancer ----
    res("aws_lb", "app", {
        "name": "my-service-alb",
        "load_balancer_type": "application",
        "internal": False,
        "subnets": public_subnets,
        "security_groups": ["${aws_security_group.alb.id}"],
        "drop_invalid_header_fields": True,
        "enable_deletion_protection": False,
    })
    res("aws_lb_target_group", "app", {
        "name": "my-service-tg",
        "port": 80,
        "protocol": "HTTP",
        "target_type": "ip",
        "vpc_id": "${aws_vpc.main.id}",
        "deregistration_delay": "30",
        "health_check": {
            "enabled": True,
            "path": "/",
            "matcher": "200-399",
            "interval": 30,
            "timeout": 5,
            "healthy_threshold": 3,
            "unhealthy_threshold": 3,
        },
    })
    res("aws_lb_listener", "http", {
        "load_balancer_arn": "${aws_lb.app.arn}",
        "port": 80,
        "protocol": "HTTP",
        "default_action": {"type": "forward", "target_group_arn": "${aws_lb_target_group.app.arn}"},
    })

    # ---- ECS cluster ----
    res("aws_ecs_cluster", "main", {
        "name": "production-cluster",
        "setting": {"name": "containerInsights", "value": "enabled"},
    })
    res("aws_ecs_cluster_capacity_providers", "main", {
        "cluster_name": "${aws_ecs_cluster.main.name}",
        "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
        "default_capacity_provider_strategy": {
            "capacity_provider": "FARGATE", "base": 0, "weight": 1,
        },
    })

    # ---- logs (+ KMS) ----
    res("aws_cloudwatch_log_group", "app", {"name": "/ecs/my-service", "retention_in_days": 30})
    if not nat:
        key_policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "RootAccount",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:{PARTITION}:iam::{ACCOUNT}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "CloudWatchLogs",
                    "Effect": "Allow",
                    "Principal": {"Service": f"logs.{REGION}.amazonaws.com"},
                    "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
                               "kms:GenerateDataKey*", "kms:Describe*"],
                    "Resource": "*",
                    "Condition": {"ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn":
                            f"arn:{PARTITION}:logs:{REGION}:{ACCOUNT}:log-group:*"}},
                },
            ],
        }
        res("aws_kms_key", "logs", {
            "description": "my-service log encryption",
            "enable_key_rotation": True,
            "deletion_window_in_days": 7,
            "policy": json.dumps(key_policy),
        })
        res("aws_cloudwatch_log_group", "audit", {
            "name": "/ecs/my-service-audit",
            "retention_in_days": 30,
            "kms_key_id": "${aws_kms_key.logs.arn}",
        })

    # ---- IAM ----
    res("aws_iam_role", "execution", {
        "name": "my-service-execution",
        "assume_role_policy": trust_policy(),
    })
    res("aws_iam_role", "task", {
        "name": "my-service-task",
        "assume_role_policy": trust_policy(),
    })
    if nat:
        res("aws_iam_role_policy", "execution", {
            "name": "my-service-execution",
            "role": "${aws_iam_role.execution.id}",
            "policy": json.dumps({
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
                    {"Effect": "Allow",
                     "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                     "Resource": "${aws_cloudwatch_log_group.app.arn}:*"},
                ],
            }),
        })
    else:
        res("aws_iam_role_policy_attachment", "execution", {
            "role": "${aws_iam_role.execution.name}",
            "policy_arn": f"arn:{PARTITION}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
        })

    # ---- task definition + service ----
    res("aws_ecs_task_definition", "app", {
        "family": "my-service",
        "network_mode": "awsvpc",
        "requires_compatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "execution_role_arn": "${aws_iam_role.execution.arn}",
        "task_role_arn": "${aws_iam_role.task.arn}",
        "runtime_platform": {"operating_system_family": "LINUX", "cpu_architecture": "X86_64"},
        "container_definitions": container_defs or container_definitions(
            image="nginx:1.27" if updated else "nginx:latest"),
    })
    service = {
        "name": "my-service",
        "cluster": "${aws_ecs_cluster.main.id}",
        "task_definition": "${aws_ecs_task_definition.app.arn}",
        "desired_count": 2,
        "platform_version": "LATEST",
        "network_configuration": {
            "subnets": private_subnets,
            "security_groups": ["${aws_security_group.tasks.id}"],
            "assign_public_ip": False,
        },
        "load_balancer": {
            "target_group_arn": "${aws_lb_target_group.app.arn}",
            "container_name": "my-service",
            "container_port": 80,
        },
        "health_check_grace_period_seconds": 60,
        "force_new_deployment": True,
        "deployment_circuit_breaker": {"enable": True, "rollback": True},
        "deployment_minimum_healthy_percent": 100,
        "deployment_maximum_percent": 200,
        "propagate_tags": "SERVICE",
        "enable_ecs_managed_tags": True,
        "wait_for_steady_state": False,
        "lifecycle": {"ignore_changes": ["desired_count"]},
        "depends_on": ["aws_lb_listener.http", "aws_ecs_cluster_capacity_providers.main"],
    }
    if nat:
        service["launch_type"] = "FARGATE"
    else:
        service["capacity_provider_strategy"] = {"capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 1}
    if updated:
        service.update({
            "health_check_grace_period_seconds": 120,
            "deployment_minimum_healthy_percent": 50,
            "deployment_circuit_breaker": {"enable": True, "rollback": False},
            "enable_execute_command": True,
        })
    res("aws_ecs_service", "app", service)

    # ---- autoscaling ----
    res("aws_appautoscaling_target", "app", {
        "service_namespace": "ecs",
        "resource_id": "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.app.name}",
        "scalable_dimension": "ecs:service:DesiredCount",
        "min_capacity": 2,
        "max_capacity": 20 if updated else 10,
    })
    target_ref = {
        "resource_id": "${aws_appautoscaling_target.app.resource_id}",
        "scalable_dimension": "${aws_appautoscaling_target.app.scalable_dimension}",
        "service_namespace": "${aws_appautoscaling_target.app.service_namespace}",
    }
    for name, metric, value, label in [
        ("cpu", "ECSServiceAverageCPUUtilization", 70, None),
        ("memory", "ECSServiceAverageMemoryUtilization", 80, None),
        ("requests", "ALBRequestCountPerTarget", 1000,
         "${aws_lb.app.arn_suffix}/${aws_lb_target_group.app.arn_suffix}"),
    ]:
        spec = {"predefined_metric_type": metric}
        if label:
            spec["resource_label"] = label
        res("aws_appautoscaling_policy", name, dict(target_ref, **{
            "name": f"my-service-{name}",
            "policy_type": "TargetTrackingScaling",
            "target_tracking_scaling_policy_configuration": {
                "target_value": value - 10 if updated else value,
                "scale_in_cooldown": 300,
                "scale_out_cooldown": 60,
                "predefined_metric_specification": spec,
            },
        }))

    return {
        "terraform": {
            "required_providers": {
                "aws": {"source": "hashicorp/aws", "version": ">= 5.84.0, < 6.0.0"}
            }
        },
        "provider": {
            "aws": {"region": REGION, "default_tags": {"tags": {"ManagedBy": "fargatekit"}}}
        },
        "data": {
            "aws_availability_zones": {"available": {"state": "available"}},
            "aws_caller_identity": {"current": {}},
            "aws_partition": {"current": {}},
        },
        "resource": R,
    }


if __name__ == "__main__":
    import sys

    print(json.dumps(build(sys.argv[1] if len(sys.argv) > 1 else "nat"), indent=2))
