"""Who is calling: Cognito-shaped JWTs verified through JWKS, roles, and the route rules.

In AWS a Cognito user pool issues the tokens; locally the development identity provider
(``dev_idp``) issues tokens with the same claims, signed by local keys, and the same
``TokenVerifier`` checks both.
"""
