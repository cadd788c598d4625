import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { AuthController } from './auth.controller';
import { OrganizationController } from './organization.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';
import { UserSetupToken } from './entities/user-setup-token.entity';
import { SetupLinksService } from './setup-links.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { TokenService } from './token.service';
import { ApiKeysModule } from '../api-keys/api-keys.module';

@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([User, Organization, UserSetupToken]),
    ApiKeysModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.JWT_SECRET,
        signOptions: { expiresIn: config.JWT_EXPIRES_IN as `${number}h` },
      }),
    }),
  ],
  controllers: [AuthController, OrganizationController],
  providers: [
    AuthService,
    TokenService,
    LoginRateLimiter,
    SetupLinksService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, SetupLinksService],
})
export class AuthModule {}
