from datetime import datetime

from pydantic import Field

from .base_model import BaseModel
from .enums import InvitationStatus, Role, UserStatus


class Users(BaseModel):
    members: "UsersMembers"
    invitations: "UsersInvitations"


class UsersMembers(BaseModel):
    edges: list["UsersMembersEdges"]


class UsersMembersEdges(BaseModel):
    node: "UsersMembersEdgesNode"


class UsersMembersEdgesNode(BaseModel):
    id: str
    role: Role
    status: UserStatus
    user: "UsersMembersEdgesNodeUser"


class UsersMembersEdgesNodeUser(BaseModel):
    id: str
    email: str
    display_name: str = Field(alias="displayName")


class UsersInvitations(BaseModel):
    edges: list["UsersInvitationsEdges"]


class UsersInvitationsEdges(BaseModel):
    node: "UsersInvitationsEdgesNode"


class UsersInvitationsEdgesNode(BaseModel):
    id: str
    email: str
    role: Role
    status: InvitationStatus
    expires_at: datetime = Field(alias="expiresAt")


Users.model_rebuild()
UsersMembers.model_rebuild()
UsersMembersEdges.model_rebuild()
UsersMembersEdgesNode.model_rebuild()
UsersInvitations.model_rebuild()
UsersInvitationsEdges.model_rebuild()
