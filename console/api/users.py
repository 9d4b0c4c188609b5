from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import InvitationStatus, Role, UserStatus
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
)


class Users(BaseModel):
    viewer: "UsersViewer"
    invitations: "UsersInvitations"


class UsersViewer(PageFrame):
    working: "UsersViewerWorking"


class UsersViewerWorking(BaseModel):
    members: "UsersViewerWorkingMembers"


class UsersViewerWorkingMembers(BaseModel):
    edges: list["UsersViewerWorkingMembersEdges"]


class UsersViewerWorkingMembersEdges(BaseModel):
    node: "UsersViewerWorkingMembersEdgesNode"


class UsersViewerWorkingMembersEdgesNode(BaseModel):
    id: str
    role: Role
    status: UserStatus
    suspended_at: Optional[datetime] = Field(alias="suspendedAt")
    provisioned: bool
    user: "UsersViewerWorkingMembersEdgesNodeUser"


class UsersViewerWorkingMembersEdgesNodeUser(BaseModel):
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
UsersViewer.model_rebuild()
UsersViewerWorking.model_rebuild()
UsersViewerWorkingMembers.model_rebuild()
UsersViewerWorkingMembersEdges.model_rebuild()
UsersViewerWorkingMembersEdgesNode.model_rebuild()
UsersInvitations.model_rebuild()
UsersInvitationsEdges.model_rebuild()
